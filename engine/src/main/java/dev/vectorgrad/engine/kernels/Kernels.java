package dev.vectorgrad.engine.kernels;

/**
 * The compute kernels of one element type, over flat arrays with offsets, lengths and (where named)
 * strides. Arrays are passed as {@code Object} so that shape logic is written once for both dtypes;
 * each implementation casts them to its own array type on entry.
 *
 * <p>Shape, broadcast and dtype decisions are made before a kernel is called: a kernel never sees a
 * shape, only runs of elements.
 */
public sealed interface Kernels permits FloatKernels, DoubleKernels {

    /** A new zero-filled array of {@code n} elements. */
    Object allocate(int n);

    /** The number of elements of {@code array}. */
    int length(Object array);

    double get(Object a, int i);

    void set(Object a, int i, double value);

    /** {@code a[ai + k*as]} into {@code out[oi + k*os]} for {@code k < n}. */
    void copy(Object a, int ai, int as, Object out, int oi, int os, int n);

    void fill(Object out, int oi, int n, double value);

    /**
     * {@code out[oi+k*os] = a[ai+k*as] op b[bi+k*bs]} for {@code k < n}: vectorised when {@code out} is
     * contiguous and each input is contiguous (stride 1) or a broadcast scalar (stride 0), scalar code
     * for other strides and for POW ({@code Math.pow} element by element, the same bits in interpreted
     * and compiled code).
     */
    void binary(BinaryOp op, Object a, int ai, int as, Object b, int bi, int bs, Object out, int oi, int os, int n);

    /**
     * {@code out[oi+k*os] = op(a[ai+k*as])}: every element through the same vector code (a tail, or a
     * strided run, a vector at a time through a scratch array), so that its result does not depend on its
     * position, and the same bits whether the JIT has compiled the kernel or not.
     */
    void unary(UnaryOp op, Object a, int ai, int as, Object out, int oi, int os, int n);

    /** {@code out[oi+k] = c[ci+k] != 0 ? a[ai+k] : b[bi+k]}. */
    void where(Object c, int ci, Object a, int ai, Object b, int bi, Object out, int oi, int n);

    /** {@link #where} with any strides, scalar code. */
    void whereStrided(Object c, int ci, int cs, Object a, int ai, int as, Object b, int bi, int bs,
                      Object out, int oi, int os, int n);

    /** The fold of {@code a[ai .. ai+n)} with {@code op}; 0, -Inf or +Inf when {@code n == 0}. */
    double reduce(ReduceOp op, Object a, int ai, int n);

    /**
     * The index (from 0) of the first largest ({@link ReduceOp#MAX}) or smallest ({@link ReduceOp#MIN})
     * element of {@code a[ai .. ai+n)}, {@code n > 0}; a NaN counts as the extreme, as in PyTorch.
     */
    int argReduce(ReduceOp op, Object a, int ai, int n);

    /**
     * {@code c[cOff + i*ldc + j] += sum_p a[aOff + i*rsa + p*csa] * b[bOff + p*rsb + j*csb]}: a blocked,
     * packed matrix product on the calling thread (see {@link FloatGemm}).
     */
    void gemm(int m, int n, int k, Object a, int aOff, int rsa, int csa, Object b, int bOff, int rsb, int csb,
              Object c, int cOff, int ldc);

    /** Whether every element of {@code a[ai .. ai+n)} is finite (no NaN, no ±Inf): one pass, nothing allocated. */
    boolean allFinite(Object a, int ai, int n);

    /** {@code y[yi+k] += alpha * x[xi+k]}. */
    void axpy(double alpha, Object x, int xi, Object y, int yi, int n);

    /**
     * {@code out[r,c] = exp(z[r,c] - max_r) / sum_c exp(z[r,c] - max_r)} for {@code rows} contiguous rows of
     * {@code cols} ({@code out} from index 0): softmax along the last axis in one pass a row.
     */
    void softmax(Object z, int zi, Object out, int rows, int cols);

    /**
     * For each of {@code rows} contiguous rows of {@code cols} logits {@code z} and target weights
     * {@code t}: {@code out[oi+r] = -sum_c t[r,c] logSoftmax(z)[r,c]}, shifted by the row's (finite) max.
     */
    void softmaxCrossEntropy(Object z, int zi, Object t, int ti, Object out, int oi, int rows, int cols);

    /** Its gradient with respect to the logits: {@code dz[r,c] = g[r] (sum_c t[r,c] softmax(z)[r,c] - t[r,c])}. */
    void softmaxCrossEntropyBackward(Object z, int zi, Object t, int ti, Object g, int gi, Object dz, int di,
                                     int rows, int cols);

    /** {@code C += A B^T} for row-major A and B that share their contiguous inner dimension (see {@link FloatConv#rowDots}). */
    void rowDots(int m, int n, int k, Object a, int aOff, int lda, Object b, int bOff, int ldb, Object c, int cOff, int ldc);

    /** The layout of a stride-1 convolution's window over {@code channels} planes into {@code rows}, for this dtype's vectors. */
    DirectLayout directLayout(Window2d w, int channels, int rows);

    /** Weights packed for {@link #convDirect} under layout {@code d} (see {@link FloatDirectConv#packDirect}). */
    Object packDirect(DirectLayout d, Object w, int wOff, int rows, int channels, int area, int rowStride, int channelStride,
                      boolean flip);

    /** A stride-1 convolution of one group of planes without unfolding (see {@link FloatDirectConv#convDirect}). */
    void convDirect(DirectLayout d, Object x, int xOff, int channels, Object packed, int packedOff, int rows, Object out,
                    int outOff, Object scratch);

    /** The weight gradient of a stride-1 convolution without unfolding (see {@link FloatDirectConv#weightGradDirect}). */
    void weightGradDirect(DirectLayout d, Object x, int xOff, int xStride, int channels, Object gy, int gyOff, int gyStride,
                          int rows, int samples, int tapFrom, int tapTo, Object sums, int sumOff, Object scratch);

    /** Unfolds the windows of output rows {@code [fromRow, toRow)} into the columns of a matrix (see {@link FloatConv#im2col}). */
    void im2col(Window2d w, Object x, int xOff, int channels, Object col, int colOff, int ldCol, int fromRow, int toRow);

    /** Adds an unfolded matrix back into the planes its windows came from (see {@link FloatConv#col2im}). */
    void col2im(Window2d w, Object col, int colOff, int channels, Object x, int xOff);

    /** The largest input of each window of consecutive planes and its position (see {@link FloatPool#maxPool2d}). */
    void maxPool2d(Window2d w, int planes, Object x, int xOff, Object out, int outOff, Object indices, int indicesOff);

    /**
     * {@code gradIn[gradInOff + q*planeSize + indices[k]] += gradOut[gradOutOff + k]} for the {@code n} outputs
     * of each of {@code planes} planes q; false at an index outside the plane (see {@link FloatPool#maxPool2dBackward}).
     */
    boolean maxPool2dBackward(Object gradOut, int gradOutOff, Object indices, int indicesOff, int n, int planes, int planeSize,
                              Object gradIn, int gradInOff);

    /** The mean of each window of consecutive planes (see {@link FloatPool#avgPool2d}). */
    void avgPool2d(Window2d w, int planes, boolean countIncludePad, Object x, int xOff, Object out, int outOff);

    /** The adjoint of {@link #avgPool2d}, added into {@code gradIn}. */
    void avgPool2dBackward(Window2d w, int planes, boolean countIncludePad, Object gradOut, int gradOutOff, Object gradIn,
                           int gradInOff);
}
