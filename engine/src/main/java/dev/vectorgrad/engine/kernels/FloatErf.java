package dev.vectorgrad.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * erf and the exact GELU on vectors, from the polynomials in {@link ErfCoefficients} (the Vector API
 * has no ERF operator). Near 0, {@code erf(x) = x P(x^2)}; beyond, both go through
 * {@code erfc(a) = exp(-a^2) Q(t) / (1 + 2a)}, with {@code a^2} split into a rounded part and its exact
 * remainder so that the tail of GELU, {@code x/2 erfc(-x/sqrt 2)}, keeps its relative accuracy down to
 * underflow instead of cancelling in {@code 1 + erf}.
 *
 * <p>Measured against a 50-digit reference (see TranscendentalAccuracyTest): erf within 2 ulps in
 * FLOAT32 (every 1021st float) and FLOAT64 (a sample of doubles); GELU within 4 ulps where its result
 * is a normal number, and a unit of the smallest subnormal where it underflows. ±0, ±Inf and NaN
 * give erf ±0, ±1, NaN and GELU ±0, +Inf / -0 (the limit; PyTorch gives NaN), NaN.
 *
 * <p>Template: the build's generate-double-kernels step writes the DoubleErf twin from this file, and
 * the twin takes the FLOAT64 coefficients.
 */
final class FloatErf {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ErfCoefficients C = ErfCoefficients.FLOAT32;
    private static final float THRESHOLD = (float) C.threshold();
    private static final float CLAMP = (float) C.clamp();
    private static final float K = (float) C.k();
    private static final float SQRT_HALF = (float) Math.sqrt(0.5);
    /** The constant term of the small polynomial, 2/sqrt(pi), as a rounded part and its remainder. */
    private static final double[] SMALL_REST = java.util.Arrays.copyOf(C.small(), C.small().length - 1);
    private static final float TWO_OVER_SQRT_PI = (float) C.small()[C.small().length - 1];
    private static final float TWO_OVER_SQRT_PI_LO = (float) (C.small()[C.small().length - 1] - TWO_OVER_SQRT_PI);

    private FloatErf() {
    }

    /** {@code x P(x^2)} below the threshold, {@code ±(1 - erfc(|x|))} beyond. */
    static FloatVector erf(FloatVector x) {
        FloatVector xx = x.mul(x);
        // x (c0 + s P'(s)) = x c0_hi + x (c0_lo + s P'(s)): the rounding of c0 would cost an ulp.
        FloatVector rest = horner(SMALL_REST, xx).fma(xx, FloatVector.broadcast(S, TWO_OVER_SQRT_PI_LO));
        FloatVector small = x.fma(FloatVector.broadcast(S, TWO_OVER_SQRT_PI), x.mul(rest));
        FloatVector a = x.abs().min(CLAMP);
        FloatVector aa = a.mul(a);
        FloatVector large = gauss(aa).mul(erfcFactor(a, a.fma(a, aa.neg()), FloatVector.broadcast(S, 1))).neg().add(1);
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0));
        return small.blend(large, x.abs().compare(VectorOperators.GE, THRESHOLD));
    }

    /** {@code x/2 (1 + erf(x / sqrt 2))}; below {@code -threshold sqrt 2} as {@code x/2 erfc(|x| / sqrt 2)}. */
    static FloatVector gelu(FloatVector x) {
        FloatVector u = x.mul(SQRT_HALF);
        FloatVector half = x.mul(0.5f);
        FloatVector uu = u.mul(u);
        FloatVector small = half.mul(u.mul(horner(C.small(), uu)).add(1));
        // erfc(|u|) with u^2 = x^2 / 2 split exactly from x, clamped where erfc underflows (also for ±Inf).
        FloatVector xa = x.abs().min(CLAMP / SQRT_HALF);
        FloatVector xx = xa.mul(xa);
        FloatVector a = u.abs().min(CLAMP), lo = xa.fma(xa, xx.neg()).mul(0.5f), g = gauss(xx.mul(0.5f));
        FloatVector positive = x.sub(g.mul(erfcFactor(a, lo, xa.mul(0.5f))));
        // exp last: only the final product may be subnormal, so the tail keeps its precision down to there.
        FloatVector negative = g.mul(erfcFactor(a, lo, xa.mul(-0.5f)));
        VectorMask<Float> inside = u.abs().compare(VectorOperators.LT, THRESHOLD);
        return negative.blend(positive, u.compare(VectorOperators.GT, 0)).blend(small, inside);
    }

    /** {@code exp(-hi)}. */
    private static FloatVector gauss(FloatVector hi) {
        return hi.neg().lanewise(VectorOperators.EXP);
    }

    /**
     * {@code factor * erfc(a) / exp(-hi)} for {@code threshold <= a <= clamp}, given {@code a^2 = hi + lo}
     * exactly: {@code factor (1 - lo) Q(t) / (1 + 2a)}.
     */
    private static FloatVector erfcFactor(FloatVector a, FloatVector lo, FloatVector factor) {
        FloatVector t = a.sub(K).div(a.add(K));
        return horner(C.tail(), t).mul(factor).mul(lo.neg().add(1)).div(a.mul(2).add(1));
    }

    /** The polynomial with coefficients {@code c} (highest power first) at {@code t}. */
    private static FloatVector horner(double[] c, FloatVector t) {
        FloatVector p = FloatVector.broadcast(S, (float) c[0]);
        for (int i = 1; i < c.length; i++) {
            p = p.fma(t, FloatVector.broadcast(S, (float) c[i]));
        }
        return p;
    }
}
