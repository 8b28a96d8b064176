package dev.vectorgrad.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * exp, log, log1p, tanh, sigmoid, sin and cos of a double to 60 significant digits, from their series in
 * BigDecimal: the reference of the FLOAT64 accuracy checks. Each argument is reduced exactly enough
 * (by a 60-digit ln 2, by a 440-digit pi/2 for sin and cos, so that even 1e308 keeps 60 digits of its
 * remainder) before a series whose terms fall at least threefold each.
 */
final class MathReference {

    private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
    private static final MathContext WIDE = new MathContext(440, RoundingMode.HALF_EVEN);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigDecimal EPS = BigDecimal.ONE.movePointLeft(65);
    /** ln 2 = 2 atanh(1/3). */
    private static final BigDecimal LN2 = atanh(BigDecimal.ONE.divide(BigDecimal.valueOf(3), MC)).multiply(TWO, MC);
    /** pi/2 = 8 atan(1/5) - 2 atan(1/239) (Machin), to 440 digits. */
    private static final BigDecimal HALF_PI = atanInverse(5).multiply(BigDecimal.valueOf(8))
            .subtract(atanInverse(239).multiply(TWO)).round(WIDE);

    private MathReference() {
    }

    static BigDecimal exp(double x) {
        return exp(new BigDecimal(x));
    }

    /** e^x for |x| below a few thousand: {@code x = k ln2 + r}, {@code e^r} by its series. */
    private static BigDecimal exp(BigDecimal x) {
        BigInteger k = x.divide(LN2, MC).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        BigDecimal r = x.subtract(LN2.multiply(new BigDecimal(k), MC), MC);
        BigDecimal sum = BigDecimal.ONE, term = BigDecimal.ONE;
        for (int n = 1; term.abs().compareTo(EPS) > 0; n++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
        }
        return scaleByTwo(sum, k.intValueExact());
    }

    /** e^x - 1, by its series without the 1 for |x| < 1/2 (no cancellation). */
    private static BigDecimal expm1(BigDecimal x) {
        if (x.abs().compareTo(BigDecimal.valueOf(0.5)) >= 0) {
            return exp(x).subtract(BigDecimal.ONE, MC);
        }
        BigDecimal sum = x, term = x;
        for (int n = 2; term.abs().compareTo(x.abs().multiply(EPS)) > 0; n++) {
            term = term.multiply(x, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
        }
        return sum;
    }

    static BigDecimal log(double x) {
        return log(new BigDecimal(x));
    }

    static BigDecimal log1p(double x) {
        return log(BigDecimal.ONE.add(new BigDecimal(x)));
    }

    /** log y for y > 0: {@code y = 2^e m}, m in [3/4, 3/2), {@code log m = 2 atanh((m-1)/(m+1))}. */
    private static BigDecimal log(BigDecimal y) {
        int e = y.compareTo(new BigDecimal(Double.MIN_NORMAL)) < 0
                ? Math.getExponent(y.doubleValue() * 0x1p100) - 100 : Math.getExponent(y.doubleValue());
        BigDecimal m = scaleByTwo(y, -e);
        // Into [3/4, 3/2) (the exponent of the double may be one off): y near 1 keeps e = 0, no cancellation.
        while (m.compareTo(BigDecimal.valueOf(1.5)) >= 0) {
            m = m.divide(TWO);
            e++;
        }
        while (m.compareTo(BigDecimal.valueOf(0.75)) < 0) {
            m = m.multiply(TWO);
            e--;
        }
        BigDecimal t = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), MC);
        return atanh(t).multiply(TWO, MC).add(LN2.multiply(BigDecimal.valueOf(e), MC), MC);
    }

    /** tanh x = expm1(2x) / (expm1(2x) + 2); ±1 beyond 40, where the difference is below 1e-34. */
    static BigDecimal tanh(double x) {
        if (Math.abs(x) > 40) {
            return BigDecimal.valueOf(Math.signum(x));
        }
        BigDecimal e = expm1(new BigDecimal(2 * x));
        return e.divide(e.add(TWO), MC);
    }

    /** 1 / (1 + e^-x); 0 below -800 and 1 above 800, where the difference is below 1e-347. */
    static BigDecimal sigmoid(double x) {
        if (Math.abs(x) > 800) {
            return x > 0 ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        return BigDecimal.ONE.divide(BigDecimal.ONE.add(exp(new BigDecimal(-x))), MC);
    }

    static BigDecimal sin(double x) {
        return trig(x, 0);
    }

    static BigDecimal cos(double x) {
        return trig(x, 1);
    }

    /** {@code x = k pi/2 + r}: quadrant {@code k + shift} picks ±sin r or ±cos r. */
    private static BigDecimal trig(double x, int shift) {
        BigDecimal bx = new BigDecimal(x);
        BigInteger k = bx.divide(HALF_PI, WIDE).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        BigDecimal r = bx.subtract(HALF_PI.multiply(new BigDecimal(k), WIDE), WIDE).round(MC);
        int q = k.add(BigInteger.valueOf(shift)).mod(BigInteger.valueOf(4)).intValue();
        BigDecimal v = (q & 1) == 0 ? series(r, r, 2) : series(BigDecimal.ONE, r, 1);
        return q >= 2 ? v.negate() : v;
    }

    /** {@code first - first r^2/((n)(n+1)) + ...}: sin r from (r, 2), cos r from (1, 1). */
    private static BigDecimal series(BigDecimal first, BigDecimal r, int n) {
        BigDecimal rr = r.multiply(r, MC), sum = first, term = first;
        for (int j = n; term.abs().compareTo(EPS.multiply(first.abs())) > 0; j += 2) {
            term = term.multiply(rr, MC).divide(BigDecimal.valueOf((long) j * (j + 1)), MC).negate();
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /** atanh t = t + t^3/3 + t^5/5 + ... for |t| <= 1/3. */
    private static BigDecimal atanh(BigDecimal t) {
        BigDecimal tt = t.multiply(t, MC), power = t, sum = t;
        for (int n = 3; power.abs().compareTo(EPS.multiply(t.abs())) > 0; n += 2) {
            power = power.multiply(tt, MC);
            sum = sum.add(power.divide(BigDecimal.valueOf(n), MC), MC);
        }
        return sum;
    }

    /** atan(1/n) = sum (-1)^j / ((2j+1) n^(2j+1)), to 440 digits. */
    private static BigDecimal atanInverse(int n) {
        BigDecimal limit = BigDecimal.ONE.movePointLeft(450);
        BigDecimal nn = BigDecimal.valueOf((long) n * n), power = BigDecimal.ONE.divide(BigDecimal.valueOf(n), WIDE);
        BigDecimal sum = power;
        for (int j = 1; power.compareTo(limit) > 0; j++) {
            power = power.divide(nn, WIDE);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * j + 1), WIDE);
            sum = j % 2 == 0 ? sum.add(term, WIDE) : sum.subtract(term, WIDE);
        }
        return sum;
    }

    /** {@code v 2^k}, exactly. */
    private static BigDecimal scaleByTwo(BigDecimal v, int k) {
        return k >= 0 ? v.multiply(TWO.pow(k)) : v.multiply(BigDecimal.valueOf(5).pow(-k)).movePointLeft(-k);
    }

    /**
     * The error of {@code actual} in units in the last place of the double nearest {@code exact} (of the
     * smallest subnormal where that is 0 or subnormal).
     */
    static double ulps(double actual, BigDecimal exact) {
        return new BigDecimal(actual).subtract(exact).abs().divide(new BigDecimal(Math.ulp(exact.doubleValue())), MC)
                .doubleValue();
    }
}
