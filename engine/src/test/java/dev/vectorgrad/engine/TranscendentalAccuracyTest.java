package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The vectorised transcendental functions against {@code Math} over the whole FLOAT32 range: every
 * 1021st bit pattern (about 4.2M values: normals, subnormals, both signs) plus ±0, ±Inf, NaN and the
 * extremes. The stated bound is the largest error allowed, in units in the last place of the float
 * result; NaN must give NaN, and the special values must match {@code Math} exactly.
 */
class TranscendentalAccuracyTest {

    private static final float[] SPECIAL = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1, -1,
        88.72f, 88.73f, -87.33f, -103.97f, -104f};

    private static float[] sweep() {
        int stride = 1021;
        int n = (int) ((1L << 32) / stride) + 1;
        float[] x = new float[n + SPECIAL.length];
        for (int i = 0; i < n; i++) {
            x[i] = Float.intBitsToFloat((int) ((long) i * stride));
        }
        System.arraycopy(SPECIAL, 0, x, n, SPECIAL.length);
        return x;
    }

    private static final float[] X = sweep();

    /** The largest error in ulps of {@code op} against {@code reference} (rounded to float) over the sweep. */
    private static double maxUlps(String name, UnaryOperator<NDArray> op, DoubleUnaryOperator reference) {
        float[] got = op.apply(NDArray.of(X, X.length)).toFloatArray();
        double worst = 0;
        for (int i = 0; i < X.length; i++) {
            float expected = (float) reference.applyAsDouble(X[i]);
            float actual = got[i];
            if (Float.isNaN(expected) || Float.isInfinite(expected) || expected == 0) {
                boolean same = Float.isNaN(expected) ? Float.isNaN(actual)
                        : expected == 0 ? Math.abs(actual) <= Float.MIN_NORMAL : actual == expected;
                assertTrue(same, name + "(" + X[i] + ") = " + actual + ", Math gives " + expected);
                continue;
            }
            double ulps = Math.abs((double) actual - expected) / Math.ulp(expected);
            worst = Math.max(worst, ulps);
        }
        return worst;
    }

    @Test
    void expLogTanhSigmoidStayWithinTheirStatedBounds() {
        assertBound("exp", NDArray::exp, Math::exp, 1);
        assertBound("log", NDArray::log, Math::log, 1);
        assertBound("log1p", NDArray::log1p, Math::log1p, 1);
        assertBound("tanh", NDArray::tanh, Math::tanh, 1);
        assertBound("sigmoid", NDArray::sigmoid, x -> 1 / (1 + Math.exp(-x)), 2);
        assertBound("sqrt", NDArray::sqrt, Math::sqrt, 0.5);
    }

    private static void assertBound(String name, UnaryOperator<NDArray> op, DoubleUnaryOperator reference, double bound) {
        double worst = maxUlps(name, op, reference);
        assertTrue(worst <= bound, name + ": " + worst + " ulps, stated bound " + bound);
    }

    @Test
    void exactSpecialValues() {
        NDArray special = NDArray.of(new float[] {0f, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, 4);
        assertEquals("[1.0, 1.0, 0.0, Infinity]", java.util.Arrays.toString(special.exp().toFloatArray()));
        assertEquals("[0.0, -0.0, -1.0, 1.0]", java.util.Arrays.toString(special.tanh().toFloatArray()));
        assertEquals("[-Infinity, -Infinity, NaN, Infinity]", java.util.Arrays.toString(special.log().toFloatArray()));
    }
}
