package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * erf and GELU (exact and tanh) against {@link ErfReference} over the whole FLOAT32 range: every 1021st
 * bit pattern (about 4.2M values: normals, subnormals, both signs) plus ±0, ±Inf, NaN and the extremes.
 * The stated bound is the largest error allowed, in units in the last place of the float result; NaN
 * must give NaN, and the special values must match exactly. FLOAT64 is checked the same way on a sample
 * of doubles against 50-digit values. (exp, log, tanh and the others: TranscendentalAccuracyTest.)
 */
class ErfAccuracyTest {

    private static final float[] SPECIAL = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1, -1,
        88.72f, 88.73f, -87.33f, -103.97f, -104f};

    private static final float[] X = TranscendentalAccuracyTest.sweep(SPECIAL);

    /**
     * The largest error of {@code op} against {@code reference} (rounded to float) over the sweep, in units
     * of the error allowed at each x by {@code bound} (in ulps of the float result): at most 1 is a pass.
     */
    private static double worstShareOfBound(String name, UnaryOperator<NDArray> op, DoubleUnaryOperator reference,
                                            DoubleUnaryOperator bound) {
        float[] got = op.apply(NDArray.of(X, X.length)).toFloatArray();
        double worst = 0;
        for (int i = 0; i < X.length; i++) {
            float expected = (float) reference.applyAsDouble(X[i]);
            float actual = got[i];
            if (Float.isNaN(expected) || Float.isInfinite(expected) || expected == 0) {
                boolean same = Float.isNaN(expected) ? Float.isNaN(actual)
                        : expected == 0 ? Math.abs(actual) <= Float.MIN_NORMAL : actual == expected;
                assertTrue(same, name + "(" + X[i] + ") = " + actual + ", the reference gives " + expected);
                continue;
            }
            double ulps = Math.abs((double) actual - expected) / Math.ulp(expected);
            worst = Math.max(worst, ulps / bound.applyAsDouble(X[i]));
        }
        return worst;
    }

    /**
     * erf and the exact GELU against the series and continued fraction of {@link ErfReference}. The tanh
     * GELU computes {@code exp(-2z)} from a rounded {@code z = sqrt(2/pi)(x + 0.044715 x^3)}, and exp turns
     * the rounding of z into a relative error of |2z| ulps (the function's own sensitivity to its argument
     * there): it is allowed {@code 3 + 3|2z|} ulps.
     */
    @Test
    void erfAndGeluStayWithinTheirStatedBounds() {
        assertBound("erf", NDArray::erf, ErfReference::erf, 2);
        assertBound("gelu", NDArray::gelu, ErfReference::gelu, 4);
        double worst = worstShareOfBound("gelu(tanh)", x -> x.gelu("tanh"), ErfReference::geluTanh, ErfReferenceBounds::geluTanhUlps);
        assertTrue(worst <= 1, "gelu(tanh): " + worst + " of the stated bound");
    }

    private static void assertBound(String name, UnaryOperator<NDArray> op, DoubleUnaryOperator reference, double bound) {
        double worst = worstShareOfBound(name, op, reference, x -> bound) * bound;
        assertTrue(worst <= bound, name + ": " + worst + " ulps, stated bound " + bound);
    }

    /** The allowed errors that depend on x. */
    static final class ErfReferenceBounds {
        private ErfReferenceBounds() {
        }

        static double geluTanhUlps(double x) {
            double twoZ = 2 * Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
            return 3 + 3 * Math.abs(twoZ);
        }
    }

    /**
     * Doubles for the FLOAT64 checks against the 50-digit reference: the special values, both sides of
     * the switch between the two approximations and of the underflow of GELU, and a fixed sample spread
     * over [-8, 8], [-40, 40] and every binary exponent (subnormals included), both signs.
     */
    private static double[] doubleSample() {
        double[] special = {0.0, -0.0, 0.5, -0.5, Math.nextDown(0.5), Math.sqrt(0.5) * 2, -Math.sqrt(0.5) * 2,
            5.9, 6.1, -37.5, -38.6, 27.2, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, 1e300, -1e300,
            Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        int n = 900;
        double[] x = java.util.Arrays.copyOf(special, special.length + n);
        Generator g = new Generator(2026);
        for (int i = 0; i < n; i++) {
            x[special.length + i] = switch (i % 3) {
                case 0 -> (2 * g.nextDouble() - 1) * 8;
                case 1 -> (2 * g.nextDouble() - 1) * 40;
                default -> Math.copySign(Math.pow(2, -1074 + 2100 * g.nextDouble()), g.nextDouble() - 0.5);
            };
        }
        return x;
    }

    @Test
    void float64ErfAndGeluAgainstFiftyDigits() {
        double[] x = doubleSample();
        assertDoubleBound("erf", NDArray::erf, ErfReference::erfExact, x, v -> 2);
        assertDoubleBound("gelu", NDArray::gelu, ErfReference::geluExact, x, v -> 4);
        assertDoubleBound("gelu(tanh)", v -> v.gelu("tanh"), ErfReference::geluTanhExact, x, ErfReferenceBounds::geluTanhUlps);
    }

    private static void assertDoubleBound(String name, UnaryOperator<NDArray> op, DoubleUnaryOperator reference, double[] x,
                                          DoubleUnaryOperator bound) {
        double[] got = op.apply(NDArray.of(x, x.length)).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            double expected = reference.applyAsDouble(x[i]), actual = got[i];
            boolean ok;
            if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0) {
                ok = Double.isNaN(expected) ? Double.isNaN(actual) : expected == 0 ? Math.abs(actual) <= Double.MIN_NORMAL : actual == expected;
            } else {
                ok = Math.abs(actual - expected) <= bound.applyAsDouble(x[i]) * Math.ulp(expected);
            }
            assertTrue(ok, name + "(" + x[i] + ") = " + actual + ", the 50-digit reference gives " + expected
                    + " (bound " + bound.applyAsDouble(x[i]) + " ulps)");
        }
    }

    @Test
    void exactSpecialValuesOfErfAndGelu() {
        for (DType dtype : DType.values()) {
            NDArray s = NDArray.of(new double[] {0, -0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN}, 5).to(dtype);
            assertEquals("[0.0, -0.0, -1.0, 1.0, NaN]", java.util.Arrays.toString(s.erf().toDoubleArray()), dtype + " erf");
            assertEquals("[0.0, -0.0, -0.0, Infinity, NaN]", java.util.Arrays.toString(s.gelu().toDoubleArray()), dtype + " gelu");
            assertEquals("[0.0, -0.0, -0.0, Infinity, NaN]", java.util.Arrays.toString(s.gelu("tanh").toDoubleArray()), dtype + " gelu(tanh)");
        }
    }
}
