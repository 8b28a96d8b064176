package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.autodiff.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer against its update rule written out by hand for a few steps on {@code f(p) = sum(c p²)},
 * whose gradient is {@code 2 c p}: the same sequences PyTorch's documented algorithms give.
 */
class OptimizerTest {

    private static final double[] C = {1, 3};

    private static double[] run(Tensor p, Optimizer opt, int steps) {
        Tensor c = Tensor.of(C, 2);
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            p.mul(p).mul(c).sum().backward();
            opt.step();
        }
        return p.value().toDoubleArray();
    }

    private static Tensor param() {
        return Tensor.of(new double[] {1, -2}, 2).requiresGrad(true);
    }

    @Test
    void sgdWithMomentumDampeningNesterovAndWeightDecay() {
        double lr = 0.1, mu = 0.9, damp = 0.1, wd = 0.01;
        for (boolean nesterov : new boolean[] {false, true}) {
            Tensor p = param();
            double[] got = run(p, new SGD(List.of(new ParamGroup(List.of(p), Map.of())), Map.of("lr", lr, "momentum", mu,
                    "dampening", damp, "weightDecay", wd, "nesterov", nesterov ? 1.0 : 0.0)), 3);
            double[] x = {1, -2}, buf = new double[2];
            for (int t = 0; t < 3; t++) {
                for (int i = 0; i < 2; i++) {
                    double grad = 2 * C[i] * x[i] + wd * x[i];
                    buf[i] = t == 0 ? grad : mu * buf[i] + (1 - damp) * grad;
                    x[i] -= lr * (nesterov ? grad + mu * buf[i] : buf[i]);
                }
            }
            assertArrayEquals(x, got, 1e-12, "nesterov " + nesterov);
        }
    }

    @Test
    void adamAmsgradAndAdamW() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
        record Variant(String name, boolean amsgrad, boolean decoupled, Supplier<Tensor> p) {
        }
        for (Variant v : List.of(new Variant("adam", false, false, OptimizerTest::param),
                new Variant("amsgrad", true, false, OptimizerTest::param), new Variant("adamw", false, true, OptimizerTest::param))) {
            Tensor p = v.p().get();
            Map<String, Double> options = Map.of("lr", lr, "weightDecay", wd, "amsgrad", v.amsgrad() ? 1.0 : 0.0);
            Optimizer opt = v.decoupled() ? new AdamW(List.of(new ParamGroup(List.of(p), Map.of())), options)
                    : new Adam(List.of(new ParamGroup(List.of(p), Map.of())), options);
            double[] got = run(p, opt, 5);
            double[] x = {1, -2}, m = new double[2], s = new double[2], sMax = new double[2];
            for (int t = 1; t <= 5; t++) {
                for (int i = 0; i < 2; i++) {
                    double grad = 2 * C[i] * x[i];
                    if (v.decoupled()) {
                        x[i] *= 1 - lr * wd;
                    } else {
                        grad += wd * x[i];
                    }
                    m[i] = b1 * m[i] + (1 - b1) * grad;
                    s[i] = b2 * s[i] + (1 - b2) * grad * grad;
                    sMax[i] = Math.max(sMax[i], s[i]);
                    double second = v.amsgrad() ? sMax[i] : s[i];
                    double mHat = m[i] / (1 - Math.pow(b1, t));
                    x[i] -= lr * mHat / (Math.sqrt(second / (1 - Math.pow(b2, t))) + eps);
                }
            }
            assertArrayEquals(x, got, 1e-12, v.name());
        }
    }

    @Test
    void groupsHaveTheirOwnLearningRates() {
        Tensor a = param(), b = param();
        SGD opt = new SGD(List.of(new ParamGroup(List.of(a), Map.of("lr", 0.1)), new ParamGroup(List.of(b), Map.of())),
                Map.of("lr", 0.01));
        run(a, opt, 1);
        assertEquals(1 - 0.1 * 2, a.value().toDoubleArray()[0], 1e-12);
        assertEquals(0.01, opt.paramGroups().get(1).get("lr"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(new ParamGroup(List.of(a), Map.of("momentun", 0.9))), Map.of()));
        assertEquals("ParamGroup: unknown option momentun; known: [dampening, lr, momentum, nesterov, weightDecay]", e.getMessage());
    }
}
