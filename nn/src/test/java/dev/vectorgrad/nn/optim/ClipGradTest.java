package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Gradient clipping against torch.nn.utils' formulas: the total norm of all gradient elements, the scale, the clamp. */
class ClipGradTest {

    /** A parameter for each array, with that array as its gradient, and one more without a gradient. */
    static List<Tensor> params(NDArray... grads) {
        List<Tensor> params = new ArrayList<>();
        for (NDArray g : grads) {
            Tensor p = Tensor.zeros(g.dtype(), g.shape()).requiresGrad(true);
            p.mul(Tensor.of(g)).sum().backward();
            params.add(p);
        }
        params.add(Tensor.zeros(DType.FLOAT64, 2).requiresGrad(true));
        return params;
    }

    static double[] all(List<Tensor> params) {
        return params.stream().filter(p -> p.grad() != null).flatMapToDouble(p -> Arrays.stream(p.grad().value().toDoubleArray()))
                .toArray();
    }

    @Test
    void clipGradNormScalesByTheTotalNormOfEveryOrder() {
        Generator g = new Generator(3);
        for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
            for (double order : new double[] {2, 1, 3, Double.POSITIVE_INFINITY}) {
                List<Tensor> params = params(NDArray.randn(g, dtype, 7, 5), NDArray.randn(g, dtype, 33));
                double[] before = all(params);
                double total = order == Double.POSITIVE_INFINITY ? Arrays.stream(before).map(Math::abs).max().orElseThrow()
                        : Math.pow(Arrays.stream(before).map(x -> Math.pow(Math.abs(x), order)).sum(), 1 / order);
                double tol = dtype == DType.FLOAT64 ? 1e-13 : 1e-5;
                String what = dtype + " order " + order;
                assertEquals(total, ClipGrad.clipGradNorm(params, 0.5, order), tol * total, what);
                double scale = 0.5 / (total + 1e-6);
                double[] after = all(params);
                for (int i = 0; i < before.length; i++) {
                    assertEquals(before[i] * scale, after[i], tol * Math.abs(before[i]), what + " element " + i);
                }
                double[] clipped = all(params);
                ClipGrad.clipGradNorm(params, 100, order);
                assertArrayEquals(clipped, all(params), 0, what + ": below maxNorm nothing changes");
            }
        }
        assertEquals(0, ClipGrad.clipGradNorm(List.of(Tensor.zeros(DType.FLOAT32, 3).requiresGrad(true)), 1, 2),
                "no gradients, norm 0");
    }

    @Test
    void nonFiniteNorms() {
        List<Tensor> params = params(NDArray.of(new double[] {3, Double.NaN}, 2), NDArray.of(new double[] {4}, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClipGrad.clipGradNorm(params, 1, 2, true));
        assertEquals("clipGradNorm: the total norm of order 2.0 of the gradients is NaN, so they cannot be clipped;"
                + " pass errorIfNonfinite = false to scale them by it anyway", e.getMessage());
        assertEquals(4, params.get(1).grad().value().item(), "nothing scaled before the error");
        assertTrue(Double.isNaN(ClipGrad.clipGradNorm(params, 1, 2)));
        assertTrue(Double.isNaN(params.get(1).grad().value().item()), "scaled by NaN, as PyTorch does");
    }

    @Test
    void clipGradValueClampsEachElement() {
        List<Tensor> params = params(NDArray.of(new double[] {-3, 0.5, Double.NaN, 2}, 2, 2),
                NDArray.of(new float[] {-0.1f, 7}, 2));
        ClipGrad.clipGradValue(params, 1);
        assertArrayEquals(new double[] {-1, 0.5, Double.NaN, 1, -0.1f, 1}, all(params), 0);
    }

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void badArguments() {
        List<Tensor> params = params(NDArray.ones(DType.FLOAT64, 2));
        assertAll(
                rejects("clipGradNorm: needs maxNorm >= 0 and normType > 0 (or infinite), got maxNorm -1.0 and normType 2.0",
                        () -> ClipGrad.clipGradNorm(params, -1, 2)),
                rejects("clipGradNorm: needs maxNorm >= 0 and normType > 0 (or infinite), got maxNorm 1.0 and normType 0.0",
                        () -> ClipGrad.clipGradNorm(params, 1, 0)),
                rejects("clipGradValue: needs clipValue >= 0, got NaN", () -> ClipGrad.clipGradValue(params, Double.NaN)));
    }
}
