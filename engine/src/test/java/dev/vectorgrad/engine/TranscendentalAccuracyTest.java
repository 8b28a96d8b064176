package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import java.util.function.DoublePredicate;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The vectorised transcendental functions over the whole range of each dtype, with the largest error
 * each is allowed, in units in the last place of the exact result (a unit of the smallest subnormal
 * where the result is that small).
 *
 * <p>FLOAT32: every 1021st bit pattern (about 4.2M values: normals, subnormals, both signs) plus ±0,
 * ±Inf, NaN and the thresholds of overflow and underflow, against {@code Math} in double precision,
 * whose own error (under 1 double ulp) is 2^-29 of a float ulp. FLOAT64: 2000 doubles a function (a
 * central range, a wide range and every binary exponent, both signs), against the 60-digit values of
 * {@link MathReference}. The special values must come out exactly, the sign of zero included.
 */
class TranscendentalAccuracyTest {

    /**
     * A function: its op, its FLOAT32 reference, its 60-digit reference (used where {@code referenced}
     * holds, {@code outside} giving the exact result elsewhere), the stated bounds, and the central and
     * wide ranges of its FLOAT64 sample.
     */
    private record Function(String name, UnaryOperator<NDArray> op, DoubleUnaryOperator reference,
                            DoubleFunction<BigDecimal> exact, DoublePredicate referenced, DoubleUnaryOperator outside,
                            double float32Ulps, double float64Ulps, double central, double wide) {
    }

    private static double sigmoid(double x) {
        return x < 0 ? Math.exp(x) / (1 + Math.exp(x)) : 1 / (1 + Math.exp(-x));
    }

    private static final List<Function> FUNCTIONS = List.of(
            new Function("exp", NDArray::exp, Math::exp, MathReference::exp, x -> Math.abs(x) < 745,
                    x -> x > 0 ? Double.POSITIVE_INFINITY : 0, 1, 1, 10, 709),
            new Function("log", NDArray::log, Math::log, MathReference::log, x -> x > 0,
                    x -> x == 0 ? Double.NEGATIVE_INFINITY : Double.NaN, 1, 1, 10, 1e300),
            new Function("log1p", NDArray::log1p, Math::log1p, MathReference::log1p, x -> x > -1,
                    x -> x == -1 ? Double.NEGATIVE_INFINITY : Double.NaN, 1, 1, 1, 1e300),
            new Function("tanh", NDArray::tanh, Math::tanh, MathReference::tanh, x -> true, x -> Double.NaN, 2, 2, 5, 25),
            new Function("sigmoid", NDArray::sigmoid, TranscendentalAccuracyTest::sigmoid, MathReference::sigmoid,
                    x -> true, x -> Double.NaN, 2.5, 2.5, 10, 800),
            new Function("sin", NDArray::sin, Math::sin, MathReference::sin, x -> true, x -> Double.NaN, 1.5, 1.5, 10, 1e6),
            new Function("cos", NDArray::cos, Math::cos, MathReference::cos, x -> true, x -> Double.NaN, 1.5, 1.5, 10, 1e6));

    private static final float[] SPECIAL = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1, -1,
        88.72283f, 88.72284f, -87.33654f, -87.33655f, -103.97207f, -103.97208f, -104f, 65536f, 65537f, -1e30f};

    /** Every 1021st float bit pattern (all signs, subnormals, infinities and NaNs), then {@code special}. */
    static float[] sweep(float[] special) {
        int stride = 1021;
        int n = (int) ((1L << 32) / stride) + 1;
        float[] x = new float[n + special.length];
        for (int i = 0; i < n; i++) {
            x[i] = Float.intBitsToFloat((int) ((long) i * stride));
        }
        System.arraycopy(special, 0, x, n, special.length);
        return x;
    }

    private static final float[] X = sweep(SPECIAL);

    /** The largest error in float ulps of {@code op} against {@code reference} over the sweep. */
    private static double maxUlps(String name, UnaryOperator<NDArray> op, DoubleUnaryOperator reference) {
        float[] got = op.apply(NDArray.of(X, X.length)).toFloatArray();
        double worst = 0;
        for (int i = 0; i < X.length; i++) {
            double exact = reference.applyAsDouble(X[i]);
            float expected = (float) exact, actual = got[i];
            if (Float.isNaN(expected) || Float.isInfinite(expected)) {
                assertEquals(expected, actual, name + "(" + X[i] + ")");
                continue;
            }
            worst = Math.max(worst, Math.abs(actual - exact) / Math.ulp(expected));
        }
        return worst;
    }

    @Test
    void float32WithinTheStatedBoundsOverTheWholeRange() {
        for (Function f : FUNCTIONS) {
            double worst = maxUlps(f.name(), f.op(), f.reference());
            assertTrue(worst <= f.float32Ulps(), f.name() + ": " + worst + " ulps, stated bound " + f.float32Ulps());
        }
        double worst = maxUlps("sqrt", NDArray::sqrt, Math::sqrt);
        assertTrue(worst <= 0.5, "sqrt: " + worst + " ulps");
    }

    /**
     * A function's FLOAT64 sample: a third in [-central, central], a third in [-wide, wide], a third
     * spread over every binary exponent (subnormals included), each with either sign.
     */
    private static double[] doubleSample(Function f) {
        SplittableRandom random = new SplittableRandom(f.name().hashCode());
        int n = 2000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double sign = random.nextBoolean() ? 1 : -1;
            x[i] = sign * switch (i % 3) {
                case 0 -> random.nextDouble() * f.central();
                case 1 -> random.nextDouble() * f.wide();
                default -> Math.scalb(1 + random.nextDouble(), random.nextInt(-1074, 1024));
            };
        }
        return x;
    }

    @Test
    void float64WithinTheStatedBoundsAgainstSixtyDigits() {
        for (Function f : FUNCTIONS) {
            double[] x = doubleSample(f);
            double[] got = f.op().apply(NDArray.of(x, x.length)).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                if (!f.referenced().test(x[i])) {
                    assertEquals(f.outside().applyAsDouble(x[i]), got[i], f.name() + "(" + x[i] + ")");
                    continue;
                }
                BigDecimal exact = f.exact().apply(x[i]);
                double ulps = MathReference.ulps(got[i], exact);
                assertTrue(ulps <= f.float64Ulps(), f.name() + "(" + x[i] + ") = " + got[i] + ", exact "
                        + exact.round(new MathContext(25)) + ": " + ulps + " ulps, stated bound " + f.float64Ulps());
            }
        }
    }

    /** The special values, exactly and with the sign of zero, in both dtypes. */
    @Test
    void specialValues() {
        double inf = Double.POSITIVE_INFINITY, nan = Double.NaN;
        assertSpecial("exp", NDArray::exp, new double[] {0.0, -0.0, inf, -inf, nan, 1000, -1000}, 1, 1, inf, 0, nan, inf, 0);
        assertSpecial("log", NDArray::log, new double[] {0.0, -0.0, inf, -inf, nan, 1, -1}, -inf, -inf, inf, nan, nan, 0, nan);
        assertSpecial("log1p", NDArray::log1p, new double[] {0.0, -0.0, inf, -inf, nan, -1, -2}, 0.0, -0.0, inf, nan, nan,
                -inf, nan);
        assertSpecial("tanh", NDArray::tanh, new double[] {0.0, -0.0, inf, -inf, nan, 1000, -1000}, 0.0, -0.0, 1, -1, nan, 1, -1);
        assertSpecial("sigmoid", NDArray::sigmoid, new double[] {0.0, -0.0, inf, -inf, nan, 1000, -1000}, 0.5, 0.5, 1, 0, nan,
                1, 0);
        assertSpecial("sin", NDArray::sin, new double[] {0.0, -0.0, inf, -inf, nan, Float.MIN_VALUE, -Float.MIN_VALUE}, 0.0,
                -0.0, nan, nan, nan, Float.MIN_VALUE, -Float.MIN_VALUE);
        assertSpecial("cos", NDArray::cos, new double[] {0.0, -0.0, inf, -inf, nan}, 1, 1, nan, nan, nan);
    }

    private static void assertSpecial(String name, UnaryOperator<NDArray> op, double[] x, double... expected) {
        assertEquals(x.length, expected.length, name);
        for (DType dtype : DType.values()) {
            double[] got = op.apply(NDArray.of(x, x.length).to(dtype)).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(expected[i], got[i], dtype + " " + name + "(" + x[i] + ")");
            }
        }
    }
}
