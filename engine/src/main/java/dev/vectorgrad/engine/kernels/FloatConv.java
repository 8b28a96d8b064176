package dev.vectorgrad.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two data movements that turn a convolution into matrix products: {@link #im2col} unfolds the
 * windows of the input into the columns of a matrix, so that the forward pass and the weight gradient
 * are GEMMs, and {@link #col2im} folds such a matrix back, adding overlapping windows, which turns the
 * GEMM of the input gradient into the transposed convolution. A row of the unfolded matrix is one tap
 * {@code (c, ki, kj)} over consecutive output positions: with stride 1 it is a run of consecutive input
 * elements per output row, moved with vector loads and stores (a masked one for the remainder, since
 * rows are short: 15 of 16 columns is the common case with padding 1).
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
     * {@code col[colOff + r*cols + (oh - fromRow)*outWidth + ow]}, with {@code r = (c*kernelH + ki)*kernelW + kj}
     * and {@code cols = (toRow - fromRow)*outWidth}, is the input the tap reads, or 0 where it reads padding.
     * Every element of that block is written.
     */
    public static void im2col(Window2d w, float[] x, int xOff, int channels, float[] col, int colOff,
                              int fromRow, int toRow) {
        int ow = w.outWidth(), width = w.width(), sw = w.strideW();
        int cols = (toRow - fromRow) * ow, plane = w.height() * width;
        int r = 0;
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < w.kernelH(); ki++) {
                int top = Math.clamp(w.firstRow(ki), fromRow, toRow), bottom = Math.clamp(w.endRow(ki), top, toRow);
                for (int kj = 0; kj < w.kernelW(); kj++, r++) {
                    int base = colOff + r * cols;
                    int left = w.firstCol(kj), right = w.endCol(kj);
                    zero(col, base, (top - fromRow) * ow);
                    for (int oh = top; oh < bottom; oh++) {
                        int dst = base + (oh - fromRow) * ow;
                        int src = xOff + c * plane + w.inputRow(oh, ki) * width + w.inputCol(0, kj);
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
                    zero(col, base + (bottom - fromRow) * ow, (toRow - bottom) * ow);
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col} over all output rows: adds each element of the unfolded matrix at
     * {@code colOff} ({@code channels*kernelH*kernelW} rows of {@code outHeight*outWidth}) into the input
     * element its tap reads; taps on padding are dropped. Each input element receives its contributions
     * in the same order (by tap, then output position) however the caller splits the channels.
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
                    for (int oh = top; oh < bottom; oh++) {
                        int src = colOff + r * cols + oh * ow;
                        int dst = xOff + c * plane + w.inputRow(oh, ki) * width + w.inputCol(0, kj);
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

    private static void zero(float[] a, int from, int n) {
        for (int i = 0; i < n; i++) {
            a[from + i] = 0;
        }
    }

    /** {@code dst[d .. d+n) = src[s .. s+n)}. */
    private static void copy(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, src, s + i, m).intoArray(dst, d + i, m);
        }
    }

    /** {@code dst[d .. d+n) += src[s .. s+n)}. */
    private static void addInto(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, dst, d + i, m).add(FloatVector.fromArray(S, src, s + i, m)).intoArray(dst, d + i, m);
        }
    }
}
