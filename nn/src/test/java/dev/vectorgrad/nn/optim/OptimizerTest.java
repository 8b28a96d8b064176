package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Each optimizer against its update rule written out by hand for a few steps on {@code f(p) = sum(c p²)},
 * whose gradient is {@code 2 c p} (the algorithms of PyTorch's documentation), and against numbers
 * PyTorch 1.13 computed for the same problem.
 */
class OptimizerTest {

    private static final double[] C = {1, 3};
    private static final double[] START = {1, -2};

    static double[] run(Tensor p, Optimizer opt, int steps) {
        Tensor c = Tensor.of(NDArray.of(C, 2).to(p.dtype()));
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            p.mul(p).mul(c).sum().backward();
            opt.step();
        }
        return p.value().toDoubleArray();
    }

    static Tensor param() {
        return Tensor.of(START.clone(), 2).requiresGrad(true);
    }

    /** {@code steps} steps of a fresh optimizer made by {@code make} with {@code options} on {@link #START}. */
    static double[] run(Function<List<ParamGroup>, Optimizer> make, Map<String, Double> options, int steps) {
        Tensor p = param();
        return run(p, make.apply(List.of(new ParamGroup(List.of(p), options))), steps);
    }

    /** One element's gradient at {@code x}, negated when maximising. */
    private static double grad(int i, double x, boolean maximize) {
        return (maximize ? -1 : 1) * 2 * C[i] * x;
    }

    @Test
    void sgdWithMomentumDampeningNesterovWeightDecayAndMaximize() {
        double lr = 0.1;
        record Variant(double momentum, double dampening, boolean nesterov, double wd, boolean maximize) {
        }
        for (Variant v : List.of(new Variant(0, 0, false, 0.01, false), new Variant(0.9, 0.1, false, 0.01, false),
                new Variant(0.9, 0, true, 0.01, false), new Variant(0.9, 0.1, false, 0, true))) {
            double[] got = run(g -> new SGD(g, Map.of()), Map.of("lr", lr, "momentum", v.momentum(), "dampening",
                    v.dampening(), "weightDecay", v.wd(), "nesterov", v.nesterov() ? 1.0 : 0.0, "maximize",
                    v.maximize() ? 1.0 : 0.0), 4);
            double[] x = START.clone(), buf = new double[2];
            for (int t = 0; t < 4; t++) {
                for (int i = 0; i < 2; i++) {
                    double d = grad(i, x[i], v.maximize()) + v.wd() * x[i];
                    if (v.momentum() != 0) {
                        buf[i] = t == 0 ? d : v.momentum() * buf[i] + (1 - v.dampening()) * d;
                        d = v.nesterov() ? d + v.momentum() * buf[i] : buf[i];
                    }
                    x[i] -= lr * d;
                }
            }
            assertArrayEquals(x, got, 1e-12, v.toString());
        }
    }

    @Test
    void adamAmsgradAdamWAndMaximize() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
        record Variant(boolean amsgrad, boolean decoupled, boolean maximize) {
        }
        for (Variant v : List.of(new Variant(false, false, false), new Variant(true, false, false),
                new Variant(false, true, false), new Variant(true, true, true))) {
            Map<String, Double> options = Map.of("lr", lr, "weightDecay", wd, "amsgrad", v.amsgrad() ? 1.0 : 0.0,
                    "maximize", v.maximize() ? 1.0 : 0.0);
            double[] got = run(g -> v.decoupled() ? new AdamW(g, Map.of()) : new Adam(g, Map.of()), options, 5);
            double[] x = START.clone(), m = new double[2], s = new double[2], sMax = new double[2];
            for (int t = 1; t <= 5; t++) {
                for (int i = 0; i < 2; i++) {
                    double d = grad(i, x[i], v.maximize());
                    if (v.decoupled()) {
                        x[i] *= 1 - lr * wd;
                    } else {
                        d += wd * x[i];
                    }
                    m[i] = b1 * m[i] + (1 - b1) * d;
                    s[i] = b2 * s[i] + (1 - b2) * d * d;
                    sMax[i] = Math.max(sMax[i], s[i]);
                    double second = v.amsgrad() ? sMax[i] : s[i];
                    x[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / (Math.sqrt(second) / Math.sqrt(1 - Math.pow(b2, t)) + eps);
                }
            }
            assertArrayEquals(x, got, 1e-12, v.toString());
        }
    }

    @Test
    void rmspropCenteredWithMomentumAndWeightDecay() {
        double lr = 0.01, alpha = 0.9, eps = 1e-8;
        record Variant(boolean centered, double momentum, double wd, boolean maximize) {
        }
        for (Variant v : List.of(new Variant(false, 0, 0, false), new Variant(true, 0, 0.1, false),
                new Variant(false, 0.9, 0, true), new Variant(true, 0.9, 0.1, false))) {
            double[] got = run(g -> new RMSprop(g, Map.of()), Map.of("lr", lr, "alpha", alpha, "centered",
                    v.centered() ? 1.0 : 0.0, "momentum", v.momentum(), "weightDecay", v.wd(), "maximize",
                    v.maximize() ? 1.0 : 0.0), 5);
            double[] x = START.clone(), sq = new double[2], gAvg = new double[2], buf = new double[2];
            for (int t = 1; t <= 5; t++) {
                for (int i = 0; i < 2; i++) {
                    double d = grad(i, x[i], v.maximize()) + v.wd() * x[i];
                    sq[i] = alpha * sq[i] + (1 - alpha) * d * d;
                    gAvg[i] = alpha * gAvg[i] + (1 - alpha) * d;
                    double avg = Math.sqrt(v.centered() ? sq[i] - gAvg[i] * gAvg[i] : sq[i]) + eps;
                    buf[i] = v.momentum() * buf[i] + d / avg;
                    x[i] -= lr * (v.momentum() > 0 ? buf[i] : d / avg);
                }
            }
            assertArrayEquals(x, got, 1e-12, v.toString());
        }
    }

    @Test
    void adagradWithLrDecayInitialAccumulatorAndWeightDecay() {
        double lr = 0.1, eps = 1e-10;
        record Variant(double lrDecay, double initial, double wd) {
        }
        for (Variant v : List.of(new Variant(0, 0, 0), new Variant(0.01, 0.1, 0.1))) {
            double[] got = run(g -> new Adagrad(g, Map.of()), Map.of("lr", lr, "lrDecay", v.lrDecay(),
                    "initialAccumulatorValue", v.initial(), "weightDecay", v.wd()), 5);
            double[] x = START.clone(), sum = {v.initial(), v.initial()};
            for (int t = 1; t <= 5; t++) {
                for (int i = 0; i < 2; i++) {
                    double d = grad(i, x[i], false) + v.wd() * x[i];
                    sum[i] += d * d;
                    x[i] -= lr / (1 + (t - 1) * v.lrDecay()) * d / (Math.sqrt(sum[i]) + eps);
                }
            }
            assertArrayEquals(x, got, 1e-12, v.toString());
        }
    }

    /**
     * Five steps (SGD: four) from {@code p = [1, -2]} as PyTorch 1.13 computed them in float64:
     * {@code p = torch.tensor([1., -2.], dtype=torch.float64, requires_grad=True); opt = torch.optim.X([p], ...)},
     * then {@code opt.zero_grad(); (c * p * p).sum().backward(); opt.step()} with {@code c = [1., 3.]}.
     */
    @Test
    void matchesPyTorch() {
        assertAll(
                pinned(new double[] {-0.4163600738137102, -0.12349943831091192}, 5, g -> new SGD(g, Map.of()),
                        // SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
                        Map.of("lr", 0.1, "momentum", 0.9, "nesterov", 1.0, "weightDecay", 0.01)),
                pinned(new double[] {4.686327552, -46.33541427200001}, 5, g -> new SGD(g, Map.of()),
                        // SGD(lr=0.1, momentum=0.9, dampening=0.1, maximize=True)
                        Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.1, "maximize", 1.0)),
                pinned(new double[] {0.9500461602762656, -1.950022362227931}, 5, g -> new Adam(g, Map.of()),
                        // Adam(lr=0.01, amsgrad=True, weight_decay=0.1)
                        Map.of("lr", 0.01, "amsgrad", 1.0, "weightDecay", 0.1)),
                pinned(new double[] {0.9451608876196316, -1.9401468333246383}, 5, g -> new AdamW(g, Map.of()),
                        // AdamW(lr=0.01, amsgrad=True, weight_decay=0.1)
                        Map.of("lr", 0.01, "amsgrad", 1.0, "weightDecay", 0.1)),
                pinned(new double[] {0.6655627919706189, -1.6597964943554193}, 5, g -> new RMSprop(g, Map.of()),
                        // RMSprop(lr=0.01, alpha=0.9, centered=True, momentum=0.9, weight_decay=0.1)
                        Map.of("lr", 0.01, "alpha", 0.9, "centered", 1.0, "momentum", 0.9, "weightDecay", 0.1)),
                pinned(new double[] {0.7038321418083392, -1.691475296315721}, 5, g -> new Adagrad(g, Map.of()),
                        // Adagrad(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.1)
                        Map.of("lr", 0.1, "lrDecay", 0.01, "initialAccumulatorValue", 0.1, "weightDecay", 0.1)));
    }

    private static Executable pinned(double[] torch, int steps, Function<List<ParamGroup>, Optimizer> make,
                                     Map<String, Double> options) {
        return () -> assertArrayEquals(torch, run(make, options, steps), 1e-14, options.toString());
    }

    /**
     * The Adam configuration above in float32 gives PyTorch's float32 numbers bit for bit (same op order,
     * fused multiply-adds where PyTorch's vector code has them).
     */
    @Test
    void float32FollowsPyTorchsFloat32Arithmetic() {
        Tensor p = Tensor.of(new float[] {1, -2}, 2).requiresGrad(true);
        double[] got = run(p, new Adam(List.of(new ParamGroup(List.of(p), Map.of())),
                Map.of("lr", 0.01, "amsgrad", 1.0, "weightDecay", 0.1)), 5);
        assertArrayEquals(new double[] {0.950046181678772, -1.9500223398208618}, got, 0);
    }

    @Test
    void nonContiguousParametersAreUpdatedInPlace() {
        NDArray base = NDArray.of(new double[] {1, 3, -2, 4}, 2, 2);
        Tensor view = Tensor.of(base.transpose(0, 1)).requiresGrad(true);
        Tensor copy = Tensor.of(base.transpose(0, 1).copy()).requiresGrad(true);
        for (Tensor p : List.of(view, copy)) {
            Optimizer opt = new Adam(List.of(new ParamGroup(List.of(p), Map.of())), Map.of("lr", 0.1, "weightDecay", 0.1));
            for (int i = 0; i < 3; i++) {
                opt.zeroGrad();
                p.mul(p).sum().backward();
                opt.step();
            }
        }
        assertArrayEquals(copy.value().toDoubleArray(), view.value().toDoubleArray(), 0);
        assertArrayEquals(copy.value().transpose(0, 1).toDoubleArray(), base.toDoubleArray(), 0);
    }

    @Test
    void groupsHaveTheirOwnOptionsAndParametersWithoutGradientsAreSkipped() {
        Tensor a = param(), b = param();
        Adam opt = new Adam(List.of(new ParamGroup(List.of(a), Map.of("lr", 0.1)), new ParamGroup(List.of(b), Map.of())),
                Map.of("lr", 0.01));
        assertEquals(0.01, opt.paramGroups().get(1).get("lr"));
        Tensor c = Tensor.of(C, 2);
        a.mul(a).mul(c).sum().backward();
        opt.step();
        assertArrayEquals(START, b.value().toDoubleArray(), 0, "b had no gradient");
        assertNull(opt.state(b));
        opt.zeroGrad();
        a.add(b).mul(a.add(b)).mul(c).sum().backward();
        opt.step();
        assertEquals(2, opt.state(a).step());
        assertEquals(1, opt.state(b).step(), "b's first update: its own bias correction");
        // Adam's first step moves each element by lr (the bias-corrected m / sqrt(v) is ±1).
        assertArrayEquals(new double[] {START[0] - 0.01, START[1] + 0.01}, b.value().toDoubleArray(), 1e-9);
        assertEquals(2, opt.stepCount());
    }

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void badOptionsAndParameters() {
        Tensor a = param();
        // A group takes the options of the optimizer it joins, so each optimizer here gets its own.
        Supplier<List<ParamGroup>> one = () -> List.of(new ParamGroup(List.of(a), Map.of()));
        assertAll(
                rejects("ParamGroup: unknown option momentun; known: [dampening, lr, maximize, momentum, nesterov, weightDecay]",
                        () -> new SGD(List.of(new ParamGroup(List.of(a), Map.of("momentun", 0.9))), Map.of())),
                rejects("SGD: lr must be >= 0, got -0.1 in param group 0", () -> new SGD(List.of(a), -0.1)),
                rejects("SGD: Nesterov momentum needs a momentum above 0 and no dampening, got momentum 0.9 and"
                        + " dampening 0.1 in param group 0",
                        () -> new SGD(one.get(), Map.of("momentum", 0.9, "dampening", 0.1, "nesterov", 1.0))),
                rejects("Adam: beta1 must be in [0, 1), got 1.0 in param group 1", () -> new Adam(List.of(one.get().get(0),
                        new ParamGroup(List.of(param()), Map.of("beta1", 1.0))), Map.of())),
                rejects("AdamW: eps must be >= 0, got NaN in param group 0",
                        () -> new AdamW(one.get(), Map.of("eps", Double.NaN))),
                rejects("RMSprop: alpha must be >= 0, got -0.5 in param group 0",
                        () -> new RMSprop(one.get(), Map.of("alpha", -0.5))),
                rejects("Adagrad: lrDecay must be >= 0, got -1.0 in param group 0",
                        () -> new Adagrad(one.get(), Map.of("lrDecay", -1.0))),
                rejects("SGD: a parameter of shape [2] appears twice (param groups 0 and 1)",
                        () -> new SGD(List.of(one.get().get(0), new ParamGroup(List.of(a), Map.of())), Map.of())),
                rejects("Adam: a parameter of shape [2] in param group 0 is not a leaf; optimize leaf tensors",
                        () -> new Adam(List.of(a.mul(2)), 0.1)),
                rejects("RMSprop: got no parameters to optimize", () -> new RMSprop(List.of(), 0.1)),
                () -> assertEquals("ParamGroup: no value for option beta3; has []",
                        assertThrows(IllegalStateException.class, () -> one.get().get(0).get("beta3")).getMessage()));
    }

    @Test
    void float32StateStaysFloat32() {
        Tensor p = Tensor.of(new float[] {1, -2}, 2).requiresGrad(true);
        RMSprop opt = new RMSprop(List.of(new ParamGroup(List.of(p), Map.of())), Map.of("momentum", 0.9, "centered", 1.0));
        run(p, opt, 1);
        assertEquals(List.of("gradAvg", "momentumBuffer", "squareAvg"), List.copyOf(opt.state(p).buffers().keySet()));
        opt.state(p).buffers().values().forEach(b -> assertEquals(DType.FLOAT32, b.dtype()));
    }
}
