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
    public void binary(BinaryOp op, Object ao, int ai, int as, Object bo, int bi, int bs, Object oo, int oi, int os,
                       int n) {
        float[] a = (float[]) ao, b = (float[]) bo, out = (float[]) oo;
        if (n == 0) {
            return;
        }
        // POW runs the scalar loop for every element: Math.pow gives the same bits interpreted and compiled
        // (HotSpot calls one stub from both), where the Vector API's POW does not.
        if (op == BinaryOp.POW || os != 1 || as > 1 || bs > 1) {
            for (int k = 0; k < n; k++) {
                out[oi + k * os] = apply(op, a[ai + k * as], b[bi + k * bs]);
            }
            return;
        }
        // The switch stands in the loop body itself. Moved into a helper, it was compiled on its own as
        // soon as a program used several operators, was then too big to inline, and every vector was
        // boxed: an add of 8192 floats took 16 us instead of 2.5.
        FloatVector xs = FloatVector.broadcast(S, a[ai]), ys = FloatVector.broadcast(S, b[bi]);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector x = as == 0 ? xs : FloatVector.fromArray(S, a, ai + i);
            FloatVector y = bs == 0 ? ys : FloatVector.fromArray(S, b, bi + i);
            int o = oi + i;
            switch (op) {
                case ADD -> x.add(y).intoArray(out, o);
                case SUB -> x.sub(y).intoArray(out, o);
                case MUL -> x.mul(y).intoArray(out, o);
                case DIV -> x.div(y).intoArray(out, o);
                case MAX -> x.max(y).intoArray(out, o);
                case MIN -> x.min(y).intoArray(out, o);
                case EQ -> ones(x.compare(VectorOperators.EQ, y)).intoArray(out, o);
                case NE -> ones(x.compare(VectorOperators.NE, y)).intoArray(out, o);
                case LT -> ones(x.compare(VectorOperators.LT, y)).intoArray(out, o);
                case LE -> ones(x.compare(VectorOperators.LE, y)).intoArray(out, o);
                case GT -> ones(x.compare(VectorOperators.GT, y)).intoArray(out, o);
                case GE -> ones(x.compare(VectorOperators.GE, y)).intoArray(out, o);
            }
        }
        for (; i < n; i++) {
            out[oi + i] = apply(op, a[ai + i * as], b[bi + i * bs]);
        }
    }

    @Override
    public void unary(UnaryOp op, Object ao, int ai, int as, Object oo, int oi, int os, int n) {
        float[] a = (float[]) ao, out = (float[]) oo;
        int i = 0;
        if (as == 1 && os == 1) {
            i = S.loopBound(n);
            switch (op) {
                case EXP, TANH, SIGMOID -> FloatMath.expLoop(op, a, ai, out, oi, i);
                case LOG, LOG1P -> FloatMath.logLoop(op, a, ai, out, oi, i);
                case SIN, COS -> FloatMath.trigLoop(op, a, ai, out, oi, i);
                case ERF, GELU, GELU_TANH -> FloatErf.loop(op, a, ai, out, oi, i);
                default -> elementary(op, a, ai, out, oi, i);
            }
        }
        // The tail, or a strided run, goes through the same vector code a vector at a time in a scratch
        // array, so that an element's result does not depend on where it stands.
        if (i < n) {
            float[] in = new float[L], result = new float[L];
            for (; i < n; i += L) {
                int m = Math.min(L, n - i);
                copy(a, ai + i * as, as, in, 0, 1, m);
                unary(op, in, 0, 1, result, 0, 1, L);
                copy(result, 0, 1, out, oi + i * os, os, m);
            }
        }
    }

    /** {@link #unary} of the operators without a loop in FloatMath, n a multiple of the vector length. */
    private static void elementary(UnaryOp op, float[] a, int ai, float[] out, int oi, int n) {
        // In the loop body for the reason given in binary.
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ai + i);
            int o = oi + i;
            switch (op) {
                case NEG -> x.neg().intoArray(out, o);
                case ABS -> x.abs().intoArray(out, o);
                case SQRT -> x.sqrt().intoArray(out, o);
                case RSQRT -> FloatVector.broadcast(S, 1).div(x.sqrt()).intoArray(out, o);
                case RELU -> x.max(0).intoArray(out, o);
                // Math.signum: ±0 and NaN stay as they are.
                case SIGN -> x.blend(1, x.compare(VectorOperators.GT, 0)).blend(-1, x.compare(VectorOperators.LT, 0))
                        .intoArray(out, o);
                default -> throw new IllegalStateException("unary: " + op + " has its loop in FloatMath");
            }
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
        return switch (op) {
            case SUM -> sum(a, ai, n);
            case MAX -> max(a, ai, n, 1);
            case MIN -> -max(a, ai, n, -1);
        };
    }

    /**
     * The sum of {@code a[ai .. ai+n)}: eight vector accumulators hide the latency of the add; they are
     * combined in one fixed order, so the bits never depend on the JIT.
     *
     * <p>The sum and the max are two loops. One loop taking the operator (a switch in its body) was inlined
     * with only the operators the program had used so far; once a program had used both, the JIT inlined all
     * three arms of every fold, ran out of its inlining budget and boxed the accumulators: a sum of 1M floats
     * went from 0.13 to 1 ms after a max had run, and softmax, which takes a max and a sum a row, ran slow.
     */
    private static float sum(float[] a, int ai, int n) {
        float r = 0;
        int i = 0;
        // A run shorter than a vector (a row of ten logits) is added by the scalar loop alone: setting up
        // and combining the vector accumulators cost more than the run.
        if (n >= L) {
            FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0, acc4 = acc0, acc5 = acc0,
                    acc6 = acc0, acc7 = acc0;
            for (int up = n - 8 * L; i <= up; i += 8 * L) {
                int at = ai + i;
                acc0 = acc0.add(FloatVector.fromArray(S, a, at));
                acc1 = acc1.add(FloatVector.fromArray(S, a, at + L));
                acc2 = acc2.add(FloatVector.fromArray(S, a, at + 2 * L));
                acc3 = acc3.add(FloatVector.fromArray(S, a, at + 3 * L));
                acc4 = acc4.add(FloatVector.fromArray(S, a, at + 4 * L));
                acc5 = acc5.add(FloatVector.fromArray(S, a, at + 5 * L));
                acc6 = acc6.add(FloatVector.fromArray(S, a, at + 6 * L));
                acc7 = acc7.add(FloatVector.fromArray(S, a, at + 7 * L));
            }
            for (int up = S.loopBound(n); i < up; i += L) {
                acc0 = acc0.add(FloatVector.fromArray(S, a, ai + i));
            }
            r = sumLanes(acc0.add(acc1).add(acc2.add(acc3)).add(acc4.add(acc5).add(acc6.add(acc7))));
        }
        for (; i < n; i++) {
            r += a[ai + i];
        }
        return r;
    }

    /**
     * The largest of {@code sign * a[ai .. ai+n)}, {@code sign} 1 or -1: the min is minus the max of the
     * negated run, exactly (NaN included). Four accumulators: max is not bound by memory.
     */
    private static float max(float[] a, int ai, int n, float sign) {
        float r = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (n >= L) {
            FloatVector s = FloatVector.broadcast(S, sign), acc0 = FloatVector.broadcast(S, r), acc1 = acc0, acc2 = acc0,
                    acc3 = acc0;
            for (int up = n - 4 * L; i <= up; i += 4 * L) {
                int at = ai + i;
                acc0 = acc0.max(FloatVector.fromArray(S, a, at).mul(s));
                acc1 = acc1.max(FloatVector.fromArray(S, a, at + L).mul(s));
                acc2 = acc2.max(FloatVector.fromArray(S, a, at + 2 * L).mul(s));
                acc3 = acc3.max(FloatVector.fromArray(S, a, at + 3 * L).mul(s));
            }
            for (int up = S.loopBound(n); i < up; i += L) {
                acc0 = acc0.max(FloatVector.fromArray(S, a, ai + i).mul(s));
            }
            r = acc0.max(acc1).max(acc2.max(acc3)).reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            r = Math.max(r, sign * a[ai + i]);
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
    public boolean allFinite(Object ao, int ai, int n) {
        float[] a = (float[]) ao;
        // x * 0 is 0 for a finite x and NaN for ±Inf and NaN, and a NaN stays in the sum.
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            acc = acc.add(FloatVector.fromArray(S, a, ai + i).mul(0));
        }
        if (acc.compare(VectorOperators.NE, acc).anyTrue()) {
            return false;
        }
        for (; i < n; i++) {
            if (!Float.isFinite(a[ai + i])) {
                return false;
            }
        }
        return true;
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
    public void softmaxCrossEntropy(Object zo, int zi, Object to, int ti, Object oo, int oi, int rows, int cols) {
        float[] z = (float[]) zo, t = (float[]) to, out = (float[]) oo;
        float[] e = new float[rows * cols];
        float[] shift = shiftedExp(z, zi, rows, cols, e);
        for (int r = 0; r < rows; r++) {
            int tr = ti + r * cols;
            float logSum = (float) Math.log(reduce(ReduceOp.SUM, e, r * cols, cols)) + shift[r];
            // -sum_c t_c (z_c - logSum) = logSum sum_c t_c - sum_c t_c z_c
            out[oi + r] = logSum * (float) reduce(ReduceOp.SUM, t, tr, cols) - dot(t, tr, z, zi + r * cols, cols);
        }
    }

    @Override
    public void softmax(Object zo, int zi, Object oo, int rows, int cols) {
        float[] z = (float[]) zo, out = (float[]) oo;
        // A row of at least a vector goes from its max to the divide while it stays in the first-level
        // cache; shorter rows take shiftedExp's exp over the whole block, vectorised across rows. Either
        // way each element goes through the same exp code, so the bits are the same.
        boolean byRow = cols >= L;
        if (!byRow) {
            shiftedExp(z, zi, rows, cols, out);
        }
        for (int r = 0; r < rows; r++) {
            int at = r * cols;
            if (byRow) {
                shiftRow(z, zi + at, cols, out, at);
                unary(UnaryOp.EXP, out, at, 1, out, at, 1, cols);
            }
            // A multiply by the reciprocal, within an ulp of the quotient: the vector divide
            // took about 50 of the 1000 us of 1M floats.
            float scale = 1 / sum(out, at, cols);
            FloatVector scaleV = FloatVector.broadcast(S, scale);
            int c = 0;
            for (int up = S.loopBound(cols); c < up; c += L) {
                FloatVector.fromArray(S, out, at + c).mul(scaleV).intoArray(out, at + c);
            }
            for (; c < cols; c++) {
                out[at + c] *= scale;
            }
        }
    }

    @Override
    public void softmaxCrossEntropyBackward(Object zo, int zi, Object to, int ti, Object go, int gi, Object dzo, int di,
                                            int rows, int cols) {
        float[] z = (float[]) zo, t = (float[]) to, g = (float[]) go, dz = (float[]) dzo;
        float[] e = new float[rows * cols];
        shiftedExp(z, zi, rows, cols, e);
        for (int r = 0; r < rows; r++) {
            int er = r * cols, tr = ti + r * cols, dr = di + r * cols;
            float gr = g[gi + r];
            float scale = gr * (float) reduce(ReduceOp.SUM, t, tr, cols) / (float) reduce(ReduceOp.SUM, e, er, cols);
            FloatVector scaleV = FloatVector.broadcast(S, scale), gV = FloatVector.broadcast(S, gr);
            int c = 0;
            for (int up = S.loopBound(cols); c < up; c += L) {
                FloatVector.fromArray(S, e, er + c).mul(scaleV).sub(FloatVector.fromArray(S, t, tr + c).mul(gV))
                        .intoArray(dz, dr + c);
            }
            for (; c < cols; c++) {
                dz[dr + c] = e[er + c] * scale - t[tr + c] * gr;
            }
        }
    }

    /**
     * {@code e = exp(z - shift)} for contiguous rows, each shifted by its max (0 where that is infinite, so
     * the difference stays finite); returns the shifts. The exp runs over the whole block at once, so that
     * rows shorter than a vector (ten classes) are vectorised too.
     */
    private float[] shiftedExp(float[] z, int zi, int rows, int cols, float[] e) {
        float[] shift = new float[rows];
        for (int r = 0; r < rows; r++) {
            shift[r] = shiftRow(z, zi + r * cols, cols, e, r * cols);
        }
        unary(UnaryOp.EXP, e, 0, 1, e, 0, 1, rows * cols);
        return shift;
    }

    /** {@code e[eOff + c] = z[zOff + c] - shift} for one row of {@code cols}, shifted as in {@link #shiftedExp}; returns the shift. */
    private static float shiftRow(float[] z, int zOff, int cols, float[] e, int eOff) {
        float m = max(z, zOff, cols, 1);
        float shift = Float.isInfinite(m) ? 0 : m;
        FloatVector shiftV = FloatVector.broadcast(S, shift);
        int c = 0;
        for (int up = S.loopBound(cols); c < up; c += L) {
            FloatVector.fromArray(S, z, zOff + c).sub(shiftV).intoArray(e, eOff + c);
        }
        for (; c < cols; c++) {
            e[eOff + c] = z[zOff + c] - shift;
        }
        return shift;
    }

    private static float dot(float[] x, int xi, float[] y, int yi, int n) {
        float sum = 0;
        int i = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.zero(S);
            for (int up = S.loopBound(n); i < up; i += L) {
                acc = FloatVector.fromArray(S, x, xi + i).fma(FloatVector.fromArray(S, y, yi + i), acc);
            }
            sum = sumLanes(acc);
        }
        for (; i < n; i++) {
            sum = Math.fma(x[xi + i], y[yi + i], sum);
        }
        return sum;
    }

    @Override
    public void gemm(int m, int n, int k, Object a, int aOff, int rsa, int csa, Object b, int bOff, int rsb, int csb,
                     Object c, int cOff, int ldc) {
        FloatGemm.gemm(m, n, k, (float[]) a, aOff, rsa, csa, (float[]) b, bOff, rsb, csb, (float[]) c, cOff, ldc);
    }

    /**
     * The lanes of {@code v} added in a fixed tree: lane i with lane i + L/2, then the halves' sums likewise
     * down to one. {@code reduceLanes(ADD)} adds them in an order that differs between the JIT's intrinsic
     * and the interpreter, so a sum changed its last bits once its caller was compiled, and a seeded run its
     * weights with the JIT's timing; a select and an add give the same bits everywhere. (Adding the lanes
     * one by one, as before, cost about 25 ns a call: a quarter of a row sum of 1024 floats.)
     */
    static float sumLanes(FloatVector v) {
        for (int d = L / 2, at = 0; d > 0; d /= 2, at += L) {
            v = v.add(FloatVector.fromArray(S, HALVES, at).selectFrom(v));
        }
        return v.lane(0);
    }

    /** For d = L/2, L/4, .., 1 in turn, L lanes: lane i takes lane i + d (lanes past L - d take themselves). */
    private static final float[] HALVES = halves();

    private static float[] halves() {
        float[] h = new float[L * Integer.numberOfTrailingZeros(L)];
        for (int d = L / 2, at = 0; d > 0; d /= 2, at += L) {
            for (int i = 0; i < L; i++) {
                h[at + i] = i + d < L ? i + d : i;
            }
        }
        return h;
    }

    @Override
    public void rowDots(int m, int n, int k, Object a, int aOff, int lda, Object b, int bOff, int ldb, Object c, int cOff, int ldc) {
        FloatConv.rowDots(m, n, k, (float[]) a, aOff, lda, (float[]) b, bOff, ldb, (float[]) c, cOff, ldc);
    }

    @Override
    public DirectLayout directLayout(Window2d w, int channels, int rows) {
        return DirectLayout.of(w, channels, rows, L);
    }

    @Override
    public Object packDirect(DirectLayout d, Object w, int wOff, int rows, int channels, int area, int rowStride,
                             int channelStride, boolean flip) {
        return FloatDirectConv.packDirect(d, (float[]) w, wOff, rows, channels, area, rowStride, channelStride, flip);
    }

    @Override
    public void convDirect(DirectLayout d, Object x, int xOff, int channels, Object packed, int packedOff, int rows, Object out,
                           int outOff, Object scratch) {
        FloatDirectConv.convDirect(d, (float[]) x, xOff, channels, (float[]) packed, packedOff, rows, (float[]) out, outOff,
                (float[]) scratch);
    }

    @Override
    public void weightGradDirect(DirectLayout d, Object x, int xOff, int xStride, int channels, Object gy, int gyOff,
                                 int gyStride, int rows, int samples, int tapFrom, int tapTo, Object sums, int sumOff,
                                 Object scratch) {
        FloatDirectConv.weightGradDirect(d, (float[]) x, xOff, xStride, channels, (float[]) gy, gyOff, gyStride, rows, samples,
                tapFrom, tapTo, (float[]) sums, sumOff, (float[]) scratch);
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
    public void maxPool2d(Window2d w, int planes, Object x, int xOff, Object out, int outOff, Object indices, int indicesOff) {
        FloatPool.maxPool2d(w, planes, (float[]) x, xOff, (float[]) out, outOff, (float[]) indices, indicesOff);
    }

    @Override
    public boolean maxPool2dBackward(Object gradOut, int gradOutOff, Object indices, int indicesOff, int n, int planes,
                                     int planeSize, Object gradIn, int gradInOff) {
        return FloatPool.maxPool2dBackward((float[]) gradOut, gradOutOff, (float[]) indices, indicesOff, n, planes, planeSize,
                (float[]) gradIn, gradInOff);
    }

    @Override
    public void avgPool2d(Window2d w, int planes, boolean countIncludePad, Object x, int xOff, Object out, int outOff) {
        FloatPool.avgPool2d(w, planes, countIncludePad, (float[]) x, xOff, (float[]) out, outOff);
    }

    @Override
    public void avgPool2dBackward(Window2d w, int planes, boolean countIncludePad, Object gradOut, int gradOutOff,
                                  Object gradIn, int gradInOff) {
        FloatPool.avgPool2dBackward(w, planes, countIncludePad, (float[]) gradOut, gradOutOff, (float[]) gradIn, gradInOff);
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
}
