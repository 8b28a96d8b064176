package dev.vectorgrad.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels over {@code float[]}: the species is chosen once, each loop is the vector body then a scalar
 * tail. This file is the single source of the kernels of both dtypes: the build's
 * generate-double-kernels step (engine/pom.xml) writes the DoubleKernels twin from it by swapping the
 * element type, so an edit here is an edit to both.
 */
public final class FloatKernels implements Kernels {

    public static final FloatKernels INSTANCE = new FloatKernels();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatKernels() {
    }

    @Override
    public Object allocate(int n) {
        return new float[n];
    }

    @Override
    public int length(Object a) {
        return ((float[]) a).length;
    }

    @Override
    public double get(Object a, int i) {
        return ((float[]) a)[i];
    }

    @Override
    public void set(Object a, int i, double value) {
        ((float[]) a)[i] = (float) value;
    }

    @Override
    public void copy(Object ao, int ai, int as, Object oo, int oi, int os, int n) {
        float[] a = (float[]) ao, out = (float[]) oo;
        if (as == 1 && os == 1) {
            System.arraycopy(a, ai, out, oi, n);
            return;
        }
        for (int k = 0; k < n; k++) {
            out[oi + k * os] = a[ai + k * as];
        }
    }

    @Override
    public void fill(Object oo, int oi, int n, double value) {
        Arrays.fill((float[]) oo, oi, oi + n, (float) value);
    }

    @Override
    public void binary(BinaryOp op, Object ao, int ai, Object bo, int bi, Object oo, int oi, int n) {
        float[] a = (float[]) ao, b = (float[]) bo, out = (float[]) oo;
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            apply(op, FloatVector.fromArray(S, a, ai + i), FloatVector.fromArray(S, b, bi + i)).intoArray(out, oi + i);
        }
        for (; i < n; i++) {
            out[oi + i] = apply(op, a[ai + i], b[bi + i]);
        }
    }

    @Override
    public void binary(BinaryOp op, Object ao, int ai, double s, Object oo, int oi, int n) {
        float[] a = (float[]) ao, out = (float[]) oo;
        float x = (float) s;
        FloatVector xs = FloatVector.broadcast(S, x);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            apply(op, FloatVector.fromArray(S, a, ai + i), xs).intoArray(out, oi + i);
        }
        for (; i < n; i++) {
            out[oi + i] = apply(op, a[ai + i], x);
        }
    }

    @Override
    public void binary(BinaryOp op, double s, Object bo, int bi, Object oo, int oi, int n) {
        float[] b = (float[]) bo, out = (float[]) oo;
        float x = (float) s;
        FloatVector xs = FloatVector.broadcast(S, x);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            apply(op, xs, FloatVector.fromArray(S, b, bi + i)).intoArray(out, oi + i);
        }
        for (; i < n; i++) {
            out[oi + i] = apply(op, x, b[bi + i]);
        }
    }

    @Override
    public void binaryStrided(BinaryOp op, Object ao, int ai, int as, Object bo, int bi, int bs,
                              Object oo, int oi, int os, int n) {
        float[] a = (float[]) ao, b = (float[]) bo, out = (float[]) oo;
        for (int k = 0; k < n; k++) {
            out[oi + k * os] = apply(op, a[ai + k * as], b[bi + k * bs]);
        }
    }

    @Override
    public void unary(UnaryOp op, Object ao, int ai, Object oo, int oi, int n) {
        float[] a = (float[]) ao, out = (float[]) oo;
        if (op == UnaryOp.ERF || op == UnaryOp.GELU || op == UnaryOp.GELU_TANH) {
            // Two loops of their own, the exp apart: see FloatErf.
            FloatErf.unary(op, a, ai, out, oi, n);
            return;
        }
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            apply(op, FloatVector.fromArray(S, a, ai + i)).intoArray(out, oi + i);
        }
        for (; i < n; i++) {
            out[oi + i] = apply(op, a[ai + i]);
        }
    }

    @Override
    public void unaryStrided(UnaryOp op, Object ao, int ai, int as, Object oo, int oi, int os, int n) {
        float[] a = (float[]) ao, out = (float[]) oo;
        for (int k = 0; k < n; k++) {
            out[oi + k * os] = apply(op, a[ai + k * as]);
        }
    }

    @Override
    public void where(Object co, int ci, Object ao, int ai, Object bo, int bi, Object oo, int oi, int n) {
        float[] c = (float[]) co, a = (float[]) ao, b = (float[]) bo, out = (float[]) oo;
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            VectorMask<Float> take = FloatVector.fromArray(S, c, ci + i).compare(VectorOperators.NE, 0);
            FloatVector.fromArray(S, b, bi + i).blend(FloatVector.fromArray(S, a, ai + i), take).intoArray(out, oi + i);
        }
        for (; i < n; i++) {
            out[oi + i] = c[ci + i] != 0 ? a[ai + i] : b[bi + i];
        }
    }

    @Override
    public void whereStrided(Object co, int ci, int cs, Object ao, int ai, int as, Object bo, int bi, int bs,
                             Object oo, int oi, int os, int n) {
        float[] c = (float[]) co, a = (float[]) ao, b = (float[]) bo, out = (float[]) oo;
        for (int k = 0; k < n; k++) {
            out[oi + k * os] = c[ci + k * cs] != 0 ? a[ai + k * as] : b[bi + k * bs];
        }
    }

    @Override
    public double reduce(ReduceOp op, Object ao, int ai, int n) {
        float[] a = (float[]) ao;
        float identity = identity(op);
        // Four independent accumulators hide the latency of the vector add.
        FloatVector acc0 = FloatVector.broadcast(S, identity), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int up = n - 4 * L; i <= up; i += 4 * L) {
            acc0 = fold(op, acc0, FloatVector.fromArray(S, a, ai + i));
            acc1 = fold(op, acc1, FloatVector.fromArray(S, a, ai + i + L));
            acc2 = fold(op, acc2, FloatVector.fromArray(S, a, ai + i + 2 * L));
            acc3 = fold(op, acc3, FloatVector.fromArray(S, a, ai + i + 3 * L));
        }
        for (int up = S.loopBound(n); i < up; i += L) {
            acc0 = fold(op, acc0, FloatVector.fromArray(S, a, ai + i));
        }
        FloatVector acc = fold(op, fold(op, acc0, acc1), fold(op, acc2, acc3));
        float r = switch (op) {
            case SUM -> acc.reduceLanes(VectorOperators.ADD);
            case MAX -> acc.reduceLanes(VectorOperators.MAX);
            case MIN -> acc.reduceLanes(VectorOperators.MIN);
        };
        for (; i < n; i++) {
            r = fold(op, r, a[ai + i]);
        }
        return r;
    }

    @Override
    public int argReduce(ReduceOp op, Object ao, int ai, int n) {
        float[] a = (float[]) ao;
        float extreme = (float) reduce(op, ao, ai, n);
        if (Float.isNaN(extreme)) {
            for (int k = 0; k < n; k++) {
                if (Float.isNaN(a[ai + k])) {
                    return k;
                }
            }
        }
        FloatVector target = FloatVector.broadcast(S, extreme);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            VectorMask<Float> hit = FloatVector.fromArray(S, a, ai + i).compare(VectorOperators.EQ, target);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            if (a[ai + i] == extreme) {
                return i;
            }
        }
        throw new IllegalStateException("argReduce: no element equals the " + op + " " + extreme);
    }

    @Override
    public void axpy(double alpha, Object xo, int xi, Object yo, int yi, int n) {
        float[] x = (float[]) xo, y = (float[]) yo;
        float s = (float) alpha;
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector.fromArray(S, x, xi + i).fma(sv, FloatVector.fromArray(S, y, yi + i)).intoArray(y, yi + i);
        }
        for (; i < n; i++) {
            y[yi + i] = Math.fma(x[xi + i], s, y[yi + i]);
        }
    }

    @Override
    public void gemm(int m, int n, int k, Object a, int aOff, int rsa, int csa, Object b, int bOff, int rsb, int csb,
                     Object c, int cOff, int ldc) {
        FloatGemm.gemm(m, n, k, (float[]) a, aOff, rsa, csa, (float[]) b, bOff, rsb, csb, (float[]) c, cOff, ldc);
    }

    @Override
    public void rowDots(int m, int n, int k, Object a, int aOff, int lda, Object b, int bOff, int ldb, Object c, int cOff, int ldc) {
        FloatConv.rowDots(m, n, k, (float[]) a, aOff, lda, (float[]) b, bOff, ldb, (float[]) c, cOff, ldc);
    }

    @Override
    public DirectLayout directLayout(Window2d w, int channels) {
        return DirectLayout.of(w, channels, L);
    }

    @Override
    public Object packDirect(Object w, int wOff, int rows, int channels, int area, int rowStride, int channelStride, boolean flip) {
        return FloatDirectConv.packDirect((float[]) w, wOff, rows, channels, area, rowStride, channelStride, flip);
    }

    @Override
    public void convDirect(DirectLayout d, Object x, int xOff, int channels, Object packed, int packedOff, int rows, Object out,
                           int outOff, Object scratch) {
        FloatDirectConv.convDirect(d, (float[]) x, xOff, channels, (float[]) packed, packedOff, rows, (float[]) out, outOff,
                (float[]) scratch);
    }

    @Override
    public void im2col(Window2d w, Object x, int xOff, int channels, Object col, int colOff, int ldCol, int fromRow, int toRow) {
        FloatConv.im2col(w, (float[]) x, xOff, channels, (float[]) col, colOff, ldCol, fromRow, toRow);
    }

    @Override
    public void col2im(Window2d w, Object col, int colOff, int channels, Object x, int xOff) {
        FloatConv.col2im(w, (float[]) col, colOff, channels, (float[]) x, xOff);
    }

    @Override
    public void maxPool2d(Window2d w, Object x, int xOff, Object out, int outOff, Object indices, int indicesOff) {
        FloatPool.maxPool2d(w, (float[]) x, xOff, (float[]) out, outOff, (float[]) indices, indicesOff);
    }

    @Override
    public boolean maxPool2dBackward(Object gradOut, int gradOutOff, Object indices, int indicesOff, int n, int planeSize,
                                     Object gradIn, int gradInOff) {
        return FloatPool.maxPool2dBackward((float[]) gradOut, gradOutOff, (float[]) indices, indicesOff, n, planeSize,
                (float[]) gradIn, gradInOff);
    }

    @Override
    public void avgPool2d(Window2d w, boolean countIncludePad, Object x, int xOff, Object out, int outOff) {
        FloatPool.avgPool2d(w, countIncludePad, (float[]) x, xOff, (float[]) out, outOff);
    }

    @Override
    public void avgPool2dBackward(Window2d w, boolean countIncludePad, Object gradOut, int gradOutOff,
                                  Object gradIn, int gradInOff) {
        FloatPool.avgPool2dBackward(w, countIncludePad, (float[]) gradOut, gradOutOff, (float[]) gradIn, gradInOff);
    }

    private static float identity(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
        };
    }

    /**
     * A reduction's combining step, kept to its three operators: small enough to be inlined in the
     * unrolled loop, where the general {@link #apply(BinaryOp, FloatVector, FloatVector)} was not and
     * the accumulators were boxed (a sum ran at a tenth of the speed).
     */
    private static FloatVector fold(ReduceOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case SUM -> x.add(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
        };
    }

    private static float fold(ReduceOp op, float x, float y) {
        return switch (op) {
            case SUM -> x + y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
        };
    }

    private static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case POW -> x.lanewise(VectorOperators.POW, y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
            case EQ -> ones(x.compare(VectorOperators.EQ, y));
            case NE -> ones(x.compare(VectorOperators.NE, y));
            case LT -> ones(x.compare(VectorOperators.LT, y));
            case LE -> ones(x.compare(VectorOperators.LE, y));
            case GT -> ones(x.compare(VectorOperators.GT, y));
            case GE -> ones(x.compare(VectorOperators.GE, y));
        };
    }

    private static FloatVector ones(VectorMask<Float> where) {
        return FloatVector.zero(S).blend(1, where);
    }

    private static float apply(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> (float) Math.pow(x, y);
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
        };
    }

    /**
     * {@code 1/(1+e)} for {@code x >= 0} and {@code e/(1+e)} below, with {@code e = exp(-|x|)}: exp never
     * overflows, so a very negative x gives its tiny (even subnormal) sigmoid instead of 0.
     */
    private static FloatVector sigmoid(FloatVector x) {
        FloatVector e = x.abs().neg().lanewise(VectorOperators.EXP);
        FloatVector denominator = e.add(1);
        FloatVector positive = FloatVector.broadcast(S, 1).div(denominator);
        return positive.blend(e.div(denominator), x.compare(VectorOperators.LT, 0));
    }

    private static FloatVector apply(UnaryOp op, FloatVector x) {
        return switch (op) {
            case NEG -> x.neg();
            case ABS -> x.abs();
            case EXP -> x.lanewise(VectorOperators.EXP);
            case LOG -> x.lanewise(VectorOperators.LOG);
            case LOG1P -> x.lanewise(VectorOperators.LOG1P);
            case SQRT -> x.sqrt();
            case RSQRT -> FloatVector.broadcast(S, 1).div(x.sqrt());
            case TANH -> x.lanewise(VectorOperators.TANH);
            case SIGMOID -> sigmoid(x);
            case RELU -> x.max(0);
            case SIN -> x.lanewise(VectorOperators.SIN);
            case COS -> x.lanewise(VectorOperators.COS);
            // Math.signum: ±0 and NaN stay as they are.
            case SIGN -> x.blend(1, x.compare(VectorOperators.GT, 0)).blend(-1, x.compare(VectorOperators.LT, 0));
            case ERF, GELU, GELU_TANH -> FloatErf.apply(op, x);
        };
    }

    private static float apply(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case LOG1P -> (float) Math.log1p(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> (float) (1 / Math.sqrt(x));
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> {
                float e = (float) Math.exp(-Math.abs(x));
                yield x >= 0 ? 1 / (1 + e) : e / (1 + e);
            }
            case RELU -> Math.max(x, 0);
            case SIN -> (float) Math.sin(x);
            case COS -> (float) Math.cos(x);
            case SIGN -> Math.signum(x);
            // No scalar twin: one lane of the vector code, so that tails and strided runs give the same bits.
            case ERF, GELU, GELU_TANH -> apply(op, FloatVector.broadcast(S, x)).lane(0);
        };
    }
}
