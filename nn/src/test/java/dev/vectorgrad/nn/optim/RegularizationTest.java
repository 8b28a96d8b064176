package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.autodiff.GradCheck;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The penalties against their formulas, their gradients by central differences, and l2 as SGD's weight decay. */
class RegularizationTest {

    /** Values kept away from 0, where |p| has its kink and central differences would straddle it. */
    static Tensor param(Generator g, int... shape) {
        NDArray x = NDArray.randn(g, DType.FLOAT64, shape);
        return Tensor.of(x.add(x.sign().mul(0.1))).requiresGrad(true);
    }

    @Test
    void valuesAndGradients() {
        Generator g = new Generator(5);
        Tensor a = param(g, 3, 4), b = param(g, 5);
        double[] all = java.util.stream.DoubleStream.concat(Arrays.stream(a.value().toDoubleArray()),
                Arrays.stream(b.value().toDoubleArray())).toArray();
        assertEquals(0.3 * Arrays.stream(all).map(Math::abs).sum(), Regularization.l1(List.of(a, b), 0.3).item(), 1e-13);
        assertEquals(0.3 * Arrays.stream(all).map(x -> x * x).sum(), Regularization.l2(List.of(a, b), 0.3).item(), 1e-13);
        // Central differences with PyTorch's default tolerances (atol 1e-5, rtol 1e-3), in FLOAT64.
        GradCheck.check(in -> Regularization.l1(List.of(in[0], in[1]), 0.3), a, b);
        GradCheck.check(in -> Regularization.l2(List.of(in[0], in[1]), 0.3), a, b);
        GradCheck.gradGradCheck(in -> Regularization.l2(List.of(in[0], in[1]), 0.3), a, b);
    }

    @Test
    void halfTheDecayAsAnL2PenaltyIsSgdsWeightDecay() {
        Tensor p = OptimizerTest.param(), q = OptimizerTest.param();
        Tensor c = Tensor.of(new double[] {1, 3}, 2);
        SGD decayed = new SGD(List.of(new ParamGroup(List.of(p), Map.of())), Map.of("lr", 0.1, "weightDecay", 0.2));
        SGD penalised = new SGD(List.of(q), 0.1);
        for (int i = 0; i < 3; i++) {
            decayed.zeroGrad();
            p.mul(p).mul(c).sum().backward();
            decayed.step();
            penalised.zeroGrad();
            q.mul(q).mul(c).sum().add(Regularization.l2(List.of(q), 0.1)).backward();
            penalised.step();
        }
        assertArrayEquals(p.value().toDoubleArray(), q.value().toDoubleArray(), 1e-15);
    }

    @Test
    void badArguments() {
        Tensor p = OptimizerTest.param();
        assertAll(
                () -> assertEquals("l1: needs at least one parameter and lambda >= 0, got 0 parameters and lambda 0.1",
                        assertThrows(IllegalArgumentException.class, () -> Regularization.l1(List.of(), 0.1)).getMessage()),
                () -> assertEquals("l2: needs at least one parameter and lambda >= 0, got 1 parameters and lambda -1.0",
                        assertThrows(IllegalArgumentException.class, () -> Regularization.l2(List.of(p), -1)).getMessage()));
    }
}
