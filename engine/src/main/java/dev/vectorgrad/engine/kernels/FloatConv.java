package dev.vectorgrad.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The data movements that turn a convolution into matrix products (for strides above 1; stride 1 has
 * {@link FloatDirectConv}), and the product the weight gradient needs. {@link #im2col} unfolds the windows of the input into the columns of a matrix, so that the
 * forward pass is a GEMM; {@link #col2im} folds such a matrix back, adding overlapping windows, which
 * turns the GEMM of the input gradient into the transposed convolution; {@link #rowDots} multiplies the
 * output gradient by the unfolded input transposed. A row of the unfolded matrix is one tap
 * {@code (c, ki, kj)} over consecutive output positions: with stride 1 a run of consecutive input
 * elements per output row, and, when output rows are as wide as input rows (a "same" convolution), one
 * run over all rows, moved with vector loads and stores.
 *
 * <p>No loop here uses masked loads: a masked load that reaches past the end of its array takes a slow
 * path inside the Vector API, and the JIT's profile of that library method is shared by every caller,
 * which then runs ten times slower. Tails are scalar.
 *
 * <p>Template: the build's generate-double-kernels step writes the DoubleConv twin from this file.
 */
public final class FloatConv {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatConv() {
    }

    /**
     * Unfolds output rows {@code [fromRow, toRow)} of {@code channels} consecutive planes at {@code xOff}:
     * {@code col[colOff + r*ldCol + (oh - fromRow)*outWidth + ow]}, with {@code r = (c*kernelH + ki)*kernelW + kj},
     * is the input the tap reads, or 0 where it reads padding. Every element of that block of
     * {@code (toRow - fromRow)*outWidth} columns is written.
     */
    public static void im2col(Window2d w, float[] x, int xOff, int channels, float[] col, int colOff, int ldCol,
                              int fromRow, int toRow) {
        int ow = w.outWidth(), width = w.width(), sw = w.strideW();
        int cols = ldCol, plane = w.height() * width;
        int r = 0;
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < w.kernelH(); ki++) {
                int top = Math.clamp(w.firstRow(ki), fromRow, toRow), bottom = Math.clamp(w.endRow(ki), top, toRow);
                for (int kj = 0; kj < w.kernelW(); kj++, r++) {
                    int base = colOff + r * cols;
                    int left = w.firstCol(kj), right = w.endCol(kj);
                    zero(col, base, (top - fromRow) * ow);
                    int src = xOff + c * plane + w.inputRow(top, ki) * width + w.inputCol(0, kj);
                    int dst = base + (top - fromRow) * ow;
                    if (contiguousRows(w) && right > left && bottom > top) {
                        // One run from the first input the tap reads to the last; what it copies across row
                        // ends lands on padding taps, zeroed next.
                        copy(x, src + left, col, dst + left, (bottom - top - 1) * ow + right - left);
                        for (int oh = top; oh < bottom; oh++) {
                            int at = dst + (oh - top) * ow;
                            zero(col, at, left);
                            zero(col, at + right, ow - right);
                        }
                    } else {
                        for (int oh = top; oh < bottom; oh++, src += w.strideH() * width, dst += ow) {
                            zero(col, dst, left);
                            if (sw == 1) {
                                copy(x, src + left, col, dst + left, right - left);
                            } else {
                                for (int j = left; j < right; j++) {
                                    col[dst + j] = x[src + j * sw];
                                }
                            }
                            zero(col, dst + right, ow - right);
                        }
                    }
                    zero(col, base + (bottom - fromRow) * ow, (toRow - bottom) * ow);
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col} over all output rows: adds each element of the unfolded matrix at
     * {@code colOff} ({@code channels*kernelH*kernelW} rows of {@code outHeight*outWidth}) into the input
     * element its tap reads; taps on padding are dropped (and, in {@code col}, which is the caller's
     * scratch, set to 0). Each input element receives its contributions in the same order (by tap, then
     * output position) however the caller splits the channels.
     */
    public static void col2im(Window2d w, float[] col, int colOff, int channels, float[] x, int xOff) {
        int ow = w.outWidth(), width = w.width(), sw = w.strideW();
        int cols = w.outHeight() * ow, plane = w.height() * width;
        int r = 0;
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < w.kernelH(); ki++) {
                int top = w.firstRow(ki), bottom = w.endRow(ki);
                for (int kj = 0; kj < w.kernelW(); kj++, r++) {
                    int left = w.firstCol(kj), right = w.endCol(kj);
                    int src = colOff + r * cols + top * ow;
                    int dst = xOff + c * plane + w.inputRow(top, ki) * width + w.inputCol(0, kj);
                    if (contiguousRows(w) && right > left && bottom > top) {
                        // One run, as in im2col: the padding taps it crosses add 0.
                        for (int oh = top; oh < bottom; oh++) {
                            int at = src + (oh - top) * ow;
                            zero(col, at, left);
                            zero(col, at + right, ow - right);
                        }
                        addInto(col, src + left, x, dst + left, (bottom - top - 1) * ow + right - left);
                    } else {
                        for (int oh = top; oh < bottom; oh++, src += ow, dst += w.strideH() * width) {
                            if (sw == 1) {
                                addInto(col, src + left, x, dst + left, right - left);
                            } else {
                                for (int j = left; j < right; j++) {
                                    x[dst + j * sw] += col[src + j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Stride 1 along rows and output rows as wide as input rows: a tap's rows follow each other in both. */
    private static boolean contiguousRows(Window2d w) {
        return w.strideW() == 1 && w.outWidth() == w.width() && w.strideH() == 1;
    }

    /** Rows and columns of the register block of {@link #rowDots}: twelve accumulators. */
    private static final int DOT_ROWS = 4;
    private static final int DOT_COLS = 3;

    /**
     * {@code c[cOff + i*ldc + j] += sum_{p<k} a[aOff + i*lda + p] * b[bOff + j*ldb + p]} for {@code i < m, j < n}:
     * {@code C += A B^T} where both operands run contiguously along p, as the output gradient and the
     * unfolded input do in the weight gradient. No packing: a block of 4 rows of A and 3 rows of B is read
     * a vector at a time into twelve lane-wise accumulators, which are summed across lanes first to last at the end (never {@code reduceLanes}, whose order differs once compiled). The
     * blocks at the edges repeat the last row rather than branch; every element sees the same operations
     * whatever its place, so the result does not depend on how the caller splits m or n.
     */
    public static void rowDots(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc) {
        int bound = S.loopBound(k);
        for (int i = 0; i < m; i += DOT_ROWS) {
            int a0 = aOff + i * lda, a1 = aOff + Math.min(i + 1, m - 1) * lda;
            int a2 = aOff + Math.min(i + 2, m - 1) * lda, a3 = aOff + Math.min(i + 3, m - 1) * lda;
            for (int j = 0; j < n; j += DOT_COLS) {
                int b0 = bOff + j * ldb, b1 = bOff + Math.min(j + 1, n - 1) * ldb, b2 = bOff + Math.min(j + 2, n - 1) * ldb;
                FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
                FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
                for (int p = 0; p < bound; p += L) {
                    FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
                    FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
                    FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
                    FloatVector x = FloatVector.fromArray(S, a, a0 + p);
                    c00 = x.fma(y0, c00);
                    c01 = x.fma(y1, c01);
                    c02 = x.fma(y2, c02);
                    x = FloatVector.fromArray(S, a, a1 + p);
                    c10 = x.fma(y0, c10);
                    c11 = x.fma(y1, c11);
                    c12 = x.fma(y2, c12);
                    x = FloatVector.fromArray(S, a, a2 + p);
                    c20 = x.fma(y0, c20);
                    c21 = x.fma(y1, c21);
                    c22 = x.fma(y2, c22);
                    x = FloatVector.fromArray(S, a, a3 + p);
                    c30 = x.fma(y0, c30);
                    c31 = x.fma(y1, c31);
                    c32 = x.fma(y2, c32);
                }
                int count = Math.min(DOT_COLS, n - j), at = cOff + i * ldc + j;
                addRow(c, at, count, a, a0, b, b0, ldb, bound, k, FloatKernels.sumLanes(c00),
                        FloatKernels.sumLanes(c01), FloatKernels.sumLanes(c02));
                if (i + 1 < m) {
                    addRow(c, at + ldc, count, a, a1, b, b0, ldb, bound, k, FloatKernels.sumLanes(c10),
                        FloatKernels.sumLanes(c11), FloatKernels.sumLanes(c12));
                }
                if (i + 2 < m) {
                    addRow(c, at + 2 * ldc, count, a, a2, b, b0, ldb, bound, k, FloatKernels.sumLanes(c20),
                        FloatKernels.sumLanes(c21), FloatKernels.sumLanes(c22));
                }
                if (i + 3 < m) {
                    addRow(c, at + 3 * ldc, count, a, a3, b, b0, ldb, bound, k, FloatKernels.sumLanes(c30),
                        FloatKernels.sumLanes(c31), FloatKernels.sumLanes(c32));
                }
            }
        }
    }

    /**
     * Adds to {@code c[at + t]}, for the first {@code count} of three columns t, its lane sum {@code s_t}
     * plus the scalar tail {@code p in [bound, k)} of its dot product.
     */
    private static void addRow(float[] c, int at, int count, float[] a, int ai, float[] b, int b0, int ldb, int bound, int k,
                               float s0, float s1, float s2) {
        for (int t = 0; t < count; t++) {
            float sum = t == 0 ? s0 : t == 1 ? s1 : s2;
            for (int p = bound; p < k; p++) {
                sum = Math.fma(a[ai + p], b[b0 + t * ldb + p], sum);
            }
            c[at + t] += sum;
        }
    }

    static void zero(float[] a, int from, int n) {
        for (int i = 0; i < n; i++) {
            a[from + i] = 0;
        }
    }

    /** {@code dst[d .. d+n) = src[s .. s+n)}. */
    static void copy(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] = src[s + i];
        }
    }

    /** {@code dst[d .. d+n) += src[s .. s+n)}. */
    private static void addInto(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] += src[s + i];
        }
    }
}
