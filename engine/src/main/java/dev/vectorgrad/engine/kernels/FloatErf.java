package dev.vectorgrad.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * erf and GELU (exact and tanh) on vectors; erf from the polynomials in {@link ErfCoefficients} (the
 * Vector API has no ERF operator). Near 0, {@code erf(x) = x P(x^2)}; beyond, both go through
 * {@code erfc(a) = exp(-a^2) Q(t) / (1 + 2a)}, with {@code a^2} split into a rounded part and its exact
 * remainder so that the tail of GELU, {@code x/2 erfc(-x/sqrt 2)}, keeps its relative accuracy down to
 * underflow instead of cancelling in {@code 1 + erf}. The tanh GELU is {@code x sigmoid(2z)}, which has
 * no cancellation either.
 *
 * <p>Each function is two steps: the exponential of {@link #exponent}, by FloatMath's exp loop, and
 * then {@link #finish}. Over an array they run as separate loops, block by block: an exp inside the loop
 * of the whole function (a dozen live vectors and the hoisted coefficients) spilled every live vector
 * register and cost five times the exp itself.
 *
 * <p>Measured (TranscendentalAccuracyTest) in FLOAT32 over every 1021st float against a double-precision
 * series and continued fraction, and in FLOAT64 over a sample of doubles against 50-digit values: erf
 * within 2 ulps; GELU within 4 ulps where its result is a normal number, and a unit of the smallest
 * subnormal where it underflows; the tanh GELU within
 * {@code 3 + 3|2z|} ulps (the rounding of z, magnified by exp). ±0, ±Inf and NaN give erf ±0, ±1, NaN
 * and both GELUs ±0, +Inf / -0 (the limit; PyTorch gives NaN), NaN.
 *
 * <p>Template: the build's generate-double-kernels step writes the DoubleErf twin from this file, and
 * the twin takes the FLOAT64 coefficients.
 */
final class FloatErf {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ErfCoefficients C = ErfCoefficients.FLOAT32;
    private static final float THRESHOLD = (float) C.threshold();
    private static final float CLAMP = (float) C.clamp();
    private static final float K = (float) C.k();
    private static final float SQRT_HALF = (float) Math.sqrt(0.5);
    /** The constant term of the small polynomial, 2/sqrt(pi), as a rounded part and its remainder. */
    private static final double[] SMALL_REST = java.util.Arrays.copyOf(C.small(), C.small().length - 1);
    private static final float TWO_OVER_SQRT_PI = (float) C.small()[C.small().length - 1];
    private static final float TWO_OVER_SQRT_PI_LO = (float) (C.small()[C.small().length - 1] - TWO_OVER_SQRT_PI);
    private static final float GELU_TANH_A = (float) (2 * Math.sqrt(2 / Math.PI));
    private static final float GELU_TANH_B = (float) (2 * 0.044715 * Math.sqrt(2 / Math.PI));
    /** Elements a block: both loops of a block work in L1. */
    private static final int BLOCK = 1024;

    private FloatErf() {
    }

    /**
     * {@code out[oi+k] = op(a[ai+k])} for ERF, GELU and GELU_TANH, {@code n} a multiple of the vector
     * length; {@code out} and {@code a} do not overlap. The exp is FloatMath's, so that the result has the
     * same bits compiled or not.
     */
    static void loop(UnaryOp op, float[] a, int ai, float[] out, int oi, int n) {
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            for (int i = from; i < to; i += L) {
                exponent(op, FloatVector.fromArray(S, a, ai + i)).intoArray(out, oi + i);
            }
            FloatMath.expLoop(UnaryOp.EXP, out, oi + from, out, oi + from, to - from);
            for (int i = from; i < to; i += L) {
                finish(op, FloatVector.fromArray(S, a, ai + i), FloatVector.fromArray(S, out, oi + i)).intoArray(out, oi + i);
            }
        }
    }

    /**
     * The argument of the function's one exponential: {@code -a^2} (the rounded part) for erf, with
     * {@code a = min(|x|, clamp)}; {@code -x^2/2} likewise for GELU; {@code -|2z|} for the tanh GELU.
     */
    private static FloatVector exponent(UnaryOp op, FloatVector x) {
        return switch (op) {
            case ERF -> {
                FloatVector a = x.abs().min(CLAMP);
                yield a.mul(a).neg();
            }
            case GELU -> {
                FloatVector xa = x.abs().min(CLAMP / SQRT_HALF);
                yield xa.mul(xa).mul(-0.5f);
            }
            default -> twoZ(x).abs().neg();
        };
    }

    /** The function at {@code x}, given {@code g = exp(exponent(x))}. */
    private static FloatVector finish(UnaryOp op, FloatVector x, FloatVector g) {
        return switch (op) {
            case ERF -> erf(x, g);
            case GELU -> gelu(x, g);
            default -> geluTanh(x, g);
        };
    }

    /** {@code x P(x^2)} below the threshold, {@code ±(1 - erfc(|x|))} beyond. */
    private static FloatVector erf(FloatVector x, FloatVector g) {
        FloatVector xx = x.mul(x);
        // x (c0 + s P'(s)) = x c0_hi + x (c0_lo + s P'(s)): the rounding of c0 would cost an ulp.
        FloatVector rest = horner(SMALL_REST, xx).fma(xx, FloatVector.broadcast(S, TWO_OVER_SQRT_PI_LO));
        FloatVector small = x.fma(FloatVector.broadcast(S, TWO_OVER_SQRT_PI), x.mul(rest));
        FloatVector a = x.abs().min(CLAMP);
        FloatVector aa = a.mul(a);
        FloatVector large = g.mul(erfcScaled(a, a.fma(a, aa.neg()))).neg().add(1);
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0));
        return small.blend(large, x.abs().compare(VectorOperators.GE, THRESHOLD));
    }

    /**
     * {@code x/2 (1 + erf(u))}, {@code u = x / sqrt 2}; below {@code -threshold} (in u) as {@code x/2 erfc(|u|)},
     * with {@code u^2 = x^2 / 2} split exactly from x, clamped where erfc underflows (also for ±Inf).
     */
    private static FloatVector gelu(FloatVector x, FloatVector g) {
        FloatVector u = x.mul(SQRT_HALF);
        FloatVector half = x.mul(0.5f);
        FloatVector small = half.mul(u.mul(horner(C.small(), u.mul(u))).add(1));
        FloatVector xa = x.abs().min(CLAMP / SQRT_HALF);
        FloatVector xx = xa.mul(xa);
        FloatVector scaled = erfcScaled(u.abs().min(CLAMP), xa.fma(xa, xx.neg()).mul(0.5f)).mul(xa.mul(0.5f));
        // exp last: only the final product may be subnormal, so the tail keeps its precision down to there.
        FloatVector tail = g.mul(scaled);
        FloatVector positive = x.sub(tail);
        VectorMask<Float> inside = u.abs().compare(VectorOperators.LT, THRESHOLD);
        return tail.neg().blend(positive, u.compare(VectorOperators.GT, 0)).blend(small, inside);
    }

    /** {@code 2z = 2 sqrt(2/pi) (x + 0.044715 x^3)}. */
    private static FloatVector twoZ(FloatVector x) {
        return x.mul(x).mul(GELU_TANH_B).add(GELU_TANH_A).mul(x);
    }

    /**
     * PyTorch's tanh GELU, {@code x/2 (1 + tanh(z))} = {@code x sigmoid(2z)}, given {@code e = exp(-|2z|)}:
     * {@code x / (1 + e)} for {@code z >= 0}, {@code x e / (1 + e)} below. -Inf gives -0, the limit.
     */
    private static FloatVector geluTanh(FloatVector x, FloatVector e) {
        FloatVector xs = x.max(-Float.MAX_VALUE).div(e.add(1));
        return xs.blend(xs.mul(e), twoZ(x).compare(VectorOperators.LT, 0));
    }

    /**
     * {@code erfc(a) / exp(-hi)} for {@code threshold <= a <= clamp}, given {@code a^2 = hi + lo} exactly:
     * {@code (1 - lo) Q(t) / (1 + 2a)}.
     */
    private static FloatVector erfcScaled(FloatVector a, FloatVector lo) {
        FloatVector t = a.sub(K).div(a.add(K));
        return horner(C.tail(), t).mul(lo.neg().add(1)).div(a.mul(2).add(1));
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
