package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Misuse of the fused updates, and the values NaN and infinity take through norms and clamps. */
class UpdatesTest {

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void badShapesStatesAndOrders() {
        NDArray p = NDArray.zeros(2, 3), g = NDArray.zeros(2, 3);
        assertAll(
                rejects("sgd: gradient of shape [3, 2] does not fit the parameter of shape [2, 3]",
                        () -> Updates.sgd(p, NDArray.zeros(3, 2), null, false, 1, 0, 0, 0, false, 0.1)),
                rejects("adam: state expAvgSq [6] FLOAT32 does not fit the parameter [2, 3] FLOAT32; state arrays are"
                        + " contiguous, with the parameter's shape and dtype",
                        () -> Updates.adam(p, g, NDArray.zeros(2, 3), NDArray.zeros(6), null, 1, 1, 0, 0.9, 0.999, 1, 1, 1e-8)),
                rejects("rmsprop: state momentumBuffer [2, 3] FLOAT64 does not fit the parameter [2, 3] FLOAT32; state"
                        + " arrays are contiguous, with the parameter's shape and dtype",
                        () -> Updates.rmsprop(p, g, NDArray.zeros(2, 3), null, NDArray.zeros(DType.FLOAT64, 2, 3), 1, 0,
                                0.99, 1e-8, 0.9, 0.1)),
                rejects("sgd: state buffer [2, 3] FLOAT32 (not contiguous) does not fit the parameter [2, 3] FLOAT32;"
                        + " state arrays are contiguous, with the parameter's shape and dtype",
                        () -> Updates.sgd(p, g, NDArray.zeros(3, 2).transpose(0, 1), false, 1, 0, 0.9, 0, false, 0.1)),
                rejects("adagrad: the state sum is required", () -> Updates.adagrad(p, g, null, 1, 0, 0.1, 1e-10)),
                rejects("norm: the order must be positive or infinite, got 0.0", () -> Updates.norm(p, 0)),
                rejects("norm: the order must be positive or infinite, got NaN", () -> Updates.norm(p, Double.NaN)),
                rejects("clampInPlace: min 1.0 is not at most max -1.0", () -> Updates.clampInPlace(p, 1, -1)),
                rejects("copyFrom: cannot write in place into a broadcast view of shape [2, 3] (axis 0 has stride 0);"
                        + " call contiguous() first",
                        () -> Updates.sgd(NDArray.zeros(3).expand(2, 3), g, null, false, 1, 0, 0, 0, false, 0.1)));
    }

    @Test
    void normsPropagateNaNAndInfinity() {
        NDArray x = NDArray.of(new double[] {1, Double.NaN, -3}, 3);
        for (double order : new double[] {1, 2, 0.5, Double.POSITIVE_INFINITY}) {
            assertTrue(Double.isNaN(Updates.norm(x, order)), "order " + order);
        }
        NDArray inf = NDArray.of(new float[] {1, Float.NEGATIVE_INFINITY}, 2);
        assertEquals(Double.POSITIVE_INFINITY, Updates.norm(inf, 2));
        assertEquals(Double.POSITIVE_INFINITY, Updates.norm(inf, Double.POSITIVE_INFINITY));
        assertEquals(0, Updates.norm(NDArray.zeros(0), 2));
        NDArray c = NDArray.of(new double[] {Double.NaN, -5, 5}, 3);
        Updates.clampInPlace(c, -1, 2);
        assertTrue(Double.isNaN(c.get(0)));
        assertEquals(-1, c.get(1));
        assertEquals(2, c.get(2));
    }
}
