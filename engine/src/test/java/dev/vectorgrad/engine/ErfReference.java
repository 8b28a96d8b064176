package dev.vectorgrad.engine;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Reference values of erf, erfc and GELU for the accuracy tests, from the textbook expansions and
 * sharing nothing with the engine: in double for the FLOAT32 sweep (within about 10 double ulps, far
 * below a float ulp) and in 50-digit BigDecimal for FLOAT64.
 * <ul>
 * <li>{@code erf(x) = 2/sqrt(pi) exp(-x^2) sum_n (2x^2)^n x / (1 3 5 ... (2n+1))} (Abramowitz and Stegun
 * 7.1.6): all terms positive, so nothing cancels; used up to |x| = 3 (double) or 6 (BigDecimal).</li>
 * <li>{@code erfc(x) = exp(-x^2)/sqrt(pi) / (x + 1/2 / (x + 1 / (x + 3/2 / (x + ...))))} (A&amp;S 7.1.14,
 * the continued fraction, evaluated from the bottom up) beyond.</li>
 * </ul>
 */
final class ErfReference {

    private ErfReference() {
    }

    private static final double SQRT_PI = Math.sqrt(Math.PI);

    static double erf(double x) {
        double a = Math.abs(x);
        double r = a < 3 ? series(a) : 1 - continuedFraction(a);
        return Double.isNaN(x) ? x : Math.copySign(r, x);
    }

    /** {@code erfc(x) = 1 - erf(x)} without cancellation for large x. */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        return x <= -3 ? 2 - continuedFraction(-x) : x < 3 ? 1 - (x < 0 ? -series(-x) : series(x)) : continuedFraction(x);
    }

    private static double series(double a) {
        double term = a, sum = a, twoA2 = 2 * a * a;
        for (int n = 1; term > 1e-18 * sum; n++) {
            term *= twoA2 / (2 * n + 1);
            sum += term;
        }
        return 2 / SQRT_PI * gauss(a) * sum;
    }

    /** {@code exp(-a^2)} with {@code a^2} taken exactly as a rounded square and its remainder. */
    private static double gauss(double a) {
        double hi = a * a, lo = Math.fma(a, a, -hi);
        return Math.exp(-hi) * (1 - lo);
    }

    private static double continuedFraction(double a) {
        if (a > 27.3) {
            return 0;
        }
        double f = a;
        for (int n = 200; n >= 1; n--) {
            f = a + n / 2.0 / f;
        }
        return gauss(a) / SQRT_PI / f;
    }

    /** {@code x/2 erfc(-x / sqrt 2)}: the exact GELU, in double. */
    static double gelu(double x) {
        return Double.isInfinite(x) ? (x > 0 ? x : -0.0) : 0.5 * x * erfc(-x / Math.sqrt(2));
    }

    /** PyTorch's tanh GELU as {@code x / (1 + exp(-2z))}, which has no cancellation, in double. */
    static double geluTanh(double x) {
        double z = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        return Double.isInfinite(x) ? (x > 0 ? x : -0.0) : x / (1 + Math.exp(-2 * z));
    }

    // ---- 50 digits ---------------------------------------------------------------------------------

    static final MathContext MC = new MathContext(60);
    private static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494");
    private static final BigDecimal SQRT_PI_BIG = PI.sqrt(MC);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    static BigDecimal exp(BigDecimal y) {
        if (y.signum() < 0) {
            return BigDecimal.ONE.divide(exp(y.negate()), MC);
        }
        int halvings = 0;
        while (y.compareTo(BigDecimal.ONE) > 0) {
            y = y.divide(TWO, MC);
            halvings++;
        }
        BigDecimal term = BigDecimal.ONE, sum = BigDecimal.ONE;
        for (int n = 1; term.abs().compareTo(new BigDecimal("1e-70")) > 0; n++) {
            term = term.multiply(y, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
        }
        for (int i = 0; i < halvings; i++) {
            sum = sum.multiply(sum, MC);
        }
        return sum;
    }

    /** erfc(a) for {@code a >= 0}: the series below 6, the continued fraction above, 0 past 40 (below 1e-697). */
    static BigDecimal erfc(BigDecimal a) {
        if (a.compareTo(BigDecimal.valueOf(40)) > 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal a2 = a.multiply(a, MC);
        if (a.compareTo(BigDecimal.valueOf(6)) < 0) {
            BigDecimal term = a, sum = a, twoA2 = a2.multiply(TWO, MC);
            for (int n = 1; term.compareTo(sum.multiply(new BigDecimal("1e-65"), MC)) > 0; n++) {
                term = term.multiply(twoA2, MC).divide(BigDecimal.valueOf(2L * n + 1), MC);
                sum = sum.add(term, MC);
            }
            return BigDecimal.ONE.subtract(TWO.divide(SQRT_PI_BIG, MC).multiply(exp(a2.negate()), MC).multiply(sum, MC), MC);
        }
        BigDecimal f = a;
        for (int n = 400; n >= 1; n--) {
            f = a.add(BigDecimal.valueOf(n).divide(TWO.multiply(f, MC), MC), MC);
        }
        return exp(a2.negate()).divide(SQRT_PI_BIG.multiply(f, MC), MC);
    }

    /** erf(x) in 50 digits, rounded to double; ±Inf and NaN as the limits. */
    static double erfExact(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.isNaN(x) ? x : Math.signum(x);
        }
        BigDecimal a = new BigDecimal(Math.abs(x));
        BigDecimal r = a.compareTo(BigDecimal.ONE) < 0 ? erfSeries(a) : BigDecimal.ONE.subtract(erfc(a), MC);
        return Math.copySign(r.doubleValue(), x);
    }

    /** erf(a) for small a by its Taylor series, which keeps the relative accuracy of tiny arguments. */
    private static BigDecimal erfSeries(BigDecimal a) {
        BigDecimal a2 = a.multiply(a, MC), power = a, sum = a;
        BigDecimal factorial = BigDecimal.ONE;
        for (int n = 1; n < 200; n++) {
            power = power.multiply(a2, MC).negate();
            factorial = factorial.multiply(BigDecimal.valueOf(n));
            BigDecimal term = power.divide(factorial.multiply(BigDecimal.valueOf(2L * n + 1)), MC);
            sum = sum.add(term, MC);
            if (term.abs().compareTo(sum.abs().multiply(new BigDecimal("1e-65"), MC)) < 0) {
                break;
            }
        }
        return TWO.divide(SQRT_PI_BIG, MC).multiply(sum, MC);
    }

    /** The exact GELU in 50 digits, rounded to double. */
    static double geluExact(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.isNaN(x) ? x : x > 0 ? x : -0.0;
        }
        BigDecimal bx = new BigDecimal(x);
        BigDecimal u = bx.divide(TWO.sqrt(MC), MC);
        BigDecimal cdf = u.abs().compareTo(BigDecimal.ONE) < 0
                ? BigDecimal.ONE.add(erfSeries(u.abs()).multiply(BigDecimal.valueOf(u.signum())), MC)
                : u.signum() < 0 ? erfc(u.negate()) : TWO.subtract(erfc(u), MC);
        return bx.multiply(cdf, MC).divide(TWO, MC).doubleValue();
    }

    /** The tanh GELU, {@code x / (1 + exp(-2z))}, in 50 digits, rounded to double. */
    static double geluTanhExact(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.isNaN(x) ? x : x > 0 ? x : -0.0;
        }
        BigDecimal bx = new BigDecimal(x);
        BigDecimal z = TWO.divide(PI, MC).sqrt(MC).multiply(bx.add(new BigDecimal("0.044715").multiply(bx.pow(3), MC)), MC);
        if (z.abs().compareTo(BigDecimal.valueOf(2000)) > 0) {
            return z.signum() > 0 ? x : -0.0;
        }
        return bx.divide(BigDecimal.ONE.add(exp(z.multiply(TWO).negate()), MC), MC).doubleValue();
    }
}
