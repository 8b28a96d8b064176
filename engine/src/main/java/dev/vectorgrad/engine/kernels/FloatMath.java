package dev.vectorgrad.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, log, log1p, tanh, sigmoid, sin and cos over arrays, written only with operations whose results
 * IEEE 754 fixes (add, multiply, divide, fma, min/max, compares and blends, integer adds, shifts and
 * reinterpretations of bits). The Vector API's own {@code lanewise(EXP)} and kin give other last bits
 * once the JIT has compiled the caller (an intrinsic) than before (a Java fallback), so a seeded run's
 * weights would depend on the JIT's timing; these give the same bits interpreted or compiled.
 *
 * <p>Each function reduces its argument (by multiples of ln 2 or pi/2, Cody-Waite with the constant in
 * parts) and evaluates a polynomial from {@link MathCoefficients} in fma/Horner form; exp scales by
 * {@code 2^k} through the exponent bits in two steps, so that results round once into the subnormals;
 * log takes the exponent from the bits, subnormals scaled up first. Special values: exp(±Inf) = +Inf,
 * 0; log(0) = -Inf, log(x < 0) = NaN; log1p(-1) = -Inf, log1p(±0) = ±0; tanh(±Inf) = ±1; sin, cos(±Inf)
 * = NaN; NaN gives NaN. Beyond {@code trigLimit}, sin and cos take {@code Math.sin/cos} lane by lane,
 * which HotSpot computes alike in the interpreter and compiled code.
 *
 * <p>Largest errors measured, in ulps of the exact result: FLOAT32 (all 2^32 floats, against
 * {@code Math}) exp 0.98, log 0.91, log1p 0.91, tanh 1.59, sigmoid 2.40, sin 1.49, cos 1.49; FLOAT64
 * (22000 doubles against 60-digit values; 30000 for exp, tanh and sigmoid) exp 0.81, log 0.68, log1p
 * 0.70, tanh 1.40, sigmoid 1.82, sin 1.12, cos 1.40. TranscendentalAccuracyTest states and checks the
 * bounds: 1 ulp for exp, log and log1p, 2 for tanh, 2.5 for sigmoid, 1.5 for sin and cos, in both dtypes.
 *
 * <p>Template: the build's generate-double-kernels step writes the DoubleMath twin from this file, with
 * the integer lanes widened to long and the FLOAT64 coefficients.
 */
final class FloatMath {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final MathCoefficients C = MathCoefficients.FLOAT32;
    /** The stored fraction bits: 23 (FLOAT32), 52 (FLOAT64). */
    private static final int MANTISSA = Float.PRECISION - 1;
    private static final long BIAS = Float.MAX_EXPONENT;
    /**
     * {@code 1.5 * 2^MANTISSA}: adding it rounds a value of magnitude below {@code 2^(MANTISSA-1)} to an
     * integer k (ties to even), and the sum's low bits then hold k in two's complement.
     */
    private static final float SHIFTER = (float) Math.scalb(1.5, MANTISSA);
    private static final float LOG2E = (float) (1 / Math.log(2));
    private static final float TWO_OVER_PI = (float) (2 / Math.PI);
    /** Beyond it exp overflows or underflows to 0 for certain, and both halves of its 2^k stay normal. */
    private static final float EXP_LIMIT = (float) ((Float.MAX_EXPONENT + Float.PRECISION + 2) * Math.log(2));
    /** Up to it in magnitude, |k| stays two below the largest exponent, so 2^k and p 2^k are normal. */
    private static final float EXP_NORMAL = (float) ((Float.MAX_EXPONENT - 2) * Math.log(2));
    /** Subnormals are scaled by it before their exponent is read. */
    private static final float TWO_TO_PRECISION = (float) Math.scalb(1.0, Float.PRECISION);
    private static final float TWO_TO_MANTISSA_PLUS_BIAS = (float) (Math.scalb(1.0, MANTISSA) + BIAS);
    private static final float LN2_HI = (float) C.ln2()[0];
    private static final float LN2_LO = (float) C.ln2()[1];
    private static final float TRIG_LIMIT = (float) C.trigLimit();
    /** Below it tanh is its odd polynomial, above it {@code 1 - 2/(e^2|x| + 1)}. */
    private static final float TANH_SMALL = (float) 0.55;

    private FloatMath() {
    }

    /**
     * {@code out[oi+k] = f(a[ai+k])} for {@code k < n}, n a multiple of the vector length, f exp, tanh or
     * sigmoid. Tanh takes {@code e^2|x|} (where it overflows, 2/(e + 1) is 0 and tanh ±1), sigmoid
     * {@code e^-|x|} (never above 1).
     *
     * <p>Each function's code stands in its loop rather than in a method called per vector: such a
     * method is called often enough, before the loop is compiled, to be compiled on its own, and the JIT
     * then no longer inlines it (its code is past InlineSmallCode) and boxes every vector passed to it;
     * log1p ran three times slower so. The helpers called here are small, and called where every operator
     * of the loop passes, so that the JIT always finds them hot and inlines them.
     */
    static void expLoop(UnaryOp op, float[] a, int ai, float[] out, int oi, int n) {
        FloatVector one = FloatVector.broadcast(S, 1);
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ai + i);
            FloatVector ax = x.abs();
            FloatVector arg = op == UnaryOp.TANH ? ax.add(ax) : op == UnaryOp.SIGMOID ? ax.neg() : x;
            // Where every lane's argument is within EXP_NORMAL, it needs no clamp and p 2^k is one exact
            // product; elsewhere the argument is clamped to EXP_LIMIT and 2^k is taken as 2^k1 2^k2, each
            // normal: p 2^k1 is exact, and only the last product rounds (into the subnormals). Both give
            // the same bits where both apply.
            boolean normal = arg.abs().compare(VectorOperators.LE, EXP_NORMAL).allTrue();
            FloatVector xc = normal ? arg : arg.max(-EXP_LIMIT).min(EXP_LIMIT);
            FloatVector shiftedK = xc.fma(LOG2E, SHIFTER);
            FloatVector k = shiftedK.sub(SHIFTER);
            FloatVector r = reduce(xc, k, C.ln2());
            // 1 + r u with u = 1 + r P(r), each an fma: u's rounding error, scaled by |r| <= ln2/2, is under
            // a tenth of an ulp of the result.
            FloatVector p = r.fma(r.fma(horner(C.exp(), r), one), one);
            FloatVector y;
            if (normal) {
                y = p.mul(twoTo(shiftedK));
            } else {
                FloatVector t1 = k.fma(0.5f, SHIFTER);
                FloatVector t2 = k.sub(t1.sub(SHIFTER)).add(SHIFTER);
                y = p.mul(twoTo(t1)).mul(twoTo(t2));
            }
            if (op == UnaryOp.TANH) {
                // The odd polynomial below TANH_SMALL, 1 - 2/(e^2|x| + 1) with x's sign above.
                // T(x^2) by Horner's rule written out: a helper called in a branch that the JIT saw rarely (a
                // program's first tanh after many exps) is left out of line, and boxes its vectors.
                FloatVector xx = x.mul(x);
                FloatVector poly = FloatVector.zero(S);
                for (double c : C.tanh()) {
                    poly = poly.fma(xx, FloatVector.broadcast(S, (float) c));
                }
                // (x^3 T has the other sign, and -0 + +0 is +0: ±0 is kept as it is.)
                FloatVector small = x.fma(xx.mul(poly), x).blend(x, x.compare(VectorOperators.EQ, 0));
                FloatVector large = one.sub(FloatVector.broadcast(S, 2).div(y.add(1)));
                y = large.blend(large.neg(), x.compare(VectorOperators.LT, 0))
                        .blend(small, ax.compare(VectorOperators.LT, TANH_SMALL));
            } else if (op == UnaryOp.SIGMOID) {
                // 1/(1+e) for x >= 0, e/(1+e) below: a very negative x gives its tiny (even subnormal)
                // sigmoid instead of 0.
                FloatVector denominator = y.add(1);
                y = one.div(denominator).blend(y.div(denominator), x.compare(VectorOperators.LT, 0));
            }
            y.intoArray(out, oi + i);
        }
    }

    /** {@code 2^k} from {@code t = SHIFTER + k}: k plus the bias, shifted into the exponent field. */
    private static FloatVector twoTo(FloatVector t) {
        return t.reinterpretAsInts().lanewise(VectorOperators.ADD, BIAS).lanewise(VectorOperators.LSHL, MANTISSA)
                .reinterpretAsFloats();
    }

    /**
     * {@code out[oi+k] = log(a[ai+k])} or {@code log1p(a[ai+k])}, n as in {@link #expLoop}. log1p takes
     * the log of {@code u = 1 + x} rounded, corrected by {@code c/u} with c the rounding error (exact).
     * The log of u: {@code u = 2^k m} with m in [3/4, 3/2), {@code f = m - 1} exactly, and
     * {@code log(1+f) = f - f^2/2 + s (f^2/2 + z Q(z))} with {@code s = f/(2+f)}, {@code z = s^2} (the
     * arrangement of fdlibm's log, which keeps the leading terms in f exact).
     */
    static void logLoop(UnaryOp op, float[] a, int ai, float[] out, int oi, int n) {
        boolean plusOne = op == UnaryOp.LOG1P;
        FloatVector zero = FloatVector.zero(S), lnTwoHi = FloatVector.broadcast(S, LN2_HI);
        FloatVector lnTwoLo = FloatVector.broadcast(S, LN2_LO);
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ai + i);
            FloatVector u = plusOne ? x.add(1) : x;
            FloatVector back = u.sub(1);
            FloatVector c = plusOne ? u.sub(back).neg().add(1).add(x.sub(back)).div(u) : zero;
            VectorMask<Float> subnormal = u.compare(VectorOperators.LT, Float.MIN_NORMAL);
            IntVector bits = u.blend(u.mul(TWO_TO_PRECISION), subnormal).reinterpretAsInts();
            // The biased exponent of 4/3 u.
            IntVector e = bits.lanewise(VectorOperators.ADD, 1L << (MANTISSA - 1)).lanewise(VectorOperators.LSHR, MANTISSA);
            FloatVector m = bits.sub(e.lanewise(VectorOperators.LSHL, MANTISSA))
                    .lanewise(VectorOperators.ADD, BIAS << MANTISSA).reinterpretAsFloats();
            // k as a float: e in the low bits of 2^MANTISSA, less 2^MANTISSA and the bias.
            FloatVector k = e.lanewise(VectorOperators.OR, (BIAS + MANTISSA) << MANTISSA).reinterpretAsFloats()
                    .sub(TWO_TO_MANTISSA_PLUS_BIAS).sub(Float.PRECISION, subnormal);
            FloatVector f = m.sub(1);
            FloatVector s = f.div(f.add(2));
            FloatVector z = s.mul(s);
            FloatVector halfSquare = f.mul(f).mul(0.5f);
            FloatVector rest = s.fma(z.fma(horner(C.log(), z), halfSquare), k.fma(lnTwoLo, c));
            FloatVector y = k.fma(lnTwoHi, f.sub(halfSquare.sub(rest)));
            // u +Inf or NaN gives u; below 0, NaN; 0, -Inf; log1p keeps the sign of ±0.
            y = y.blend(u, u.compare(VectorOperators.LT, Float.POSITIVE_INFINITY).not())
                    .blend(Float.NaN, u.compare(VectorOperators.LT, 0))
                    .blend(Float.NEGATIVE_INFINITY, u.compare(VectorOperators.EQ, 0));
            (plusOne ? y.blend(x, x.compare(VectorOperators.EQ, 0)) : y).intoArray(out, oi + i);
        }
    }

    /**
     * {@code out[oi+k] = sin(a[ai+k])} or {@code cos(a[ai+k])}, n as in {@link #expLoop}:
     * {@code x = k pi/2 + r}, and the quadrant {@code k} (plus 1 for cos, as {@code cos x = sin(x + pi/2)})
     * picks {@code ±sin r} or {@code ±cos r}.
     */
    static void trigLoop(UnaryOp op, float[] a, int ai, float[] out, int oi, int n) {
        int shift = op == UnaryOp.COS ? 1 : 0;
        FloatVector one = FloatVector.broadcast(S, 1);
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ai + i);
            FloatVector t = x.fma(TWO_OVER_PI, SHIFTER);
            FloatVector r = reduce(x, t.sub(SHIFTER), C.piOver2());
            FloatVector z = r.mul(r);
            // (x = ±0 keeps its sign, which the reduction and r^3 S would lose: -0 + +0 is +0.)
            FloatVector sin = r.fma(z.mul(horner(C.sin(), z)), r).blend(x, x.compare(VectorOperators.EQ, 0));
            // 1 - z/2 rounded to w, and its rounding error (exact) added to the rest.
            FloatVector halfZ = z.mul(0.5f);
            FloatVector w = one.sub(halfZ);
            FloatVector cos = w.add(z.mul(z).fma(horner(C.cos(), z), one.sub(w).sub(halfZ)));
            IntVector q = t.reinterpretAsInts().lanewise(VectorOperators.ADD, shift);
            FloatVector y = sin.blend(cos, q.lanewise(VectorOperators.AND, 1).compare(VectorOperators.NE, 0).cast(S));
            // Quadrants 2 and 3 negate: bit 1 of q moved to the sign bit.
            IntVector sign = q.lanewise(VectorOperators.AND, 2).lanewise(VectorOperators.LSHL, Float.SIZE - 2);
            y = y.reinterpretAsInts().lanewise(VectorOperators.XOR, sign).reinterpretAsFloats();
            VectorMask<Float> far = x.abs().compare(VectorOperators.GT, TRIG_LIMIT);
            if (far.anyTrue()) {
                y = farTrig(x, y, far, shift);
            }
            y.intoArray(out, oi + i);
        }
    }

    /** The lanes of {@code y} where {@code far} is set replaced by {@code Math}'s sin (shift 0) or cos. */
    private static FloatVector farTrig(FloatVector x, FloatVector y, VectorMask<Float> far, int shift) {
        float[] xs = x.toArray(), ys = y.toArray();
        for (int j = 0; j < xs.length; j++) {
            if (far.laneIsSet(j)) {
                ys[j] = (float) (shift == 0 ? Math.sin(xs[j]) : Math.cos(xs[j]));
            }
        }
        return FloatVector.fromArray(S, ys, 0);
    }

    /** {@code x - k c} with the constant c given as parts, each step an fma. */
    private static FloatVector reduce(FloatVector x, FloatVector k, double[] parts) {
        FloatVector r = x;
        for (double part : parts) {
            r = k.fma(FloatVector.broadcast(S, (float) -part), r);
        }
        return r;
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
