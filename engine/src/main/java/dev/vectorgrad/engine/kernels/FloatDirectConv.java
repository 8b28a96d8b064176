package dev.vectorgrad.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution without unfolding the input: the input planes are copied once with their
 * padding (see {@link DirectLayout}), so that every tap of every output reads at one constant shift, and
 * a block of four output channels by four segments of an output row accumulates in registers over all
 * the taps. The weights are packed once per call, in panels of four channels. Nothing else is packed,
 * which is what made it about 1.5 times as fast as im2col and the packed GEMM on the benchmark layers.
 * Rows narrower than a vector would leave most lanes of a segment idle: there the vectors run across
 * output channels instead, a block of eight outputs at a time, each reading its taps from its own
 * position, and the results are moved into the channels' planes after (on the digits CNN's 8x8 and 4x4
 * planes, 2.5 to 3 times as fast as along rows). The weight gradient of layers with enough taps runs here
 * too ({@link #weightGradDirect}), with vectors across output channels whatever the width of the rows.
 * The input gradient of a stride-1 convolution runs here too, on the output gradient with the kernel
 * rotated (see {@link #packDirect}'s {@code flip}).
 *
 * <p>Template: the build's generate-double-kernels step writes the DoubleDirectConv twin from this file.
 */
public final class FloatDirectConv {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatDirectConv() {
    }

    /** Output channels and segments of the register block of {@link #convDirect}: sixteen accumulators. */
    private static final int TILE_ROWS = DirectLayout.PANEL;
    private static final int TILE_SEGMENTS = DirectLayout.SEGMENTS;

    /**
     * The weights of {@code rows} output channels over {@code channels} input channels for
     * {@link #convDirect}, in panels of {@code n = d.panel()} channels: {@code packed[(p*taps + t)*n + i]} is the
     * weight of channel {@code min(n*p + i, rows - 1)} at tap {@code t = ch*area + kk}, read from
     * {@code w[wOff + row*rowStride + ch*channelStride + kk]}, or at {@code area - 1 - kk} when {@code flip}
     * (the rotated kernel of the transposed convolution).
     */
    public static float[] packDirect(DirectLayout d, float[] w, int wOff, int rows, int channels, int area, int rowStride,
                                     int channelStride, boolean flip) {
        int taps = channels * area, n = d.panel(), panels = (rows + n - 1) / n;
        float[] packed = new float[panels * taps * n];
        for (int p = 0; p < panels; p++) {
            for (int t = 0; t < taps; t++) {
                int kk = t % area, from = wOff + t / area * channelStride + (flip ? area - 1 - kk : kk);
                for (int i = 0; i < n; i++) {
                    packed[(p * taps + t) * n + i] = w[from + Math.min(p * n + i, rows - 1) * rowStride];
                }
            }
        }
        return packed;
    }

    /**
     * A stride-1 convolution without unfolding: {@code out[outOff + (o*outHeight + oh)*outWidth + ow]}, for
     * {@code o < rows}, is the sum over the taps of {@code d} of the packed weight of channel o (from
     * {@code packed[packedOff]}, which starts a panel) times the input the tap reads in the {@code channels}
     * planes at {@code xOff}. The planes are first copied into {@code scratch} with their padding, so each
     * tap reads at a constant shift; a block of four channels and four segments of output accumulates in
     * registers over all taps, reading neither packed input nor output in between. {@code scratch} holds
     * {@code d.paddedSize(channels) + d.outSize(rows)} elements, and its first {@code d.paddedSize(channels)}
     * hold zeros where no input lands: a new array does, and calls under the same layout leave it so, since
     * they write only where input lands. Every output is computed by the same
     * operations wherever its channel or segment falls. Across channels (see {@link DirectLayout}), the block
     * is a vector of channels by eight positions instead.
     */
    public static void convDirect(DirectLayout d, float[] x, int xOff, int channels, float[] packed, int packedOff, int rows,
                                  float[] out, int outOff, float[] scratch) {
        pad(d, x, xOff, channels, scratch, 0);
        if (d.acrossChannels()) {
            acrossChannels(d, d.paddedSize(channels), packed, packedOff, rows, out, outOff, scratch);
            return;
        }
        int padded = d.paddedSize(channels), taps = d.shift().length, segments = d.inStart().length;
        int plane = d.outHeight() * d.pitch();
        // Rows a whole number of vectors wide go straight to the output; others through scratch, compacted after.
        boolean whole = d.pitch() == d.outWidth();
        float[] target = whole ? out : scratch;
        int targetOff = whole ? outOff : padded;
        int[] in = d.inStart(), at = d.outStart();
        for (int s = 0; s < segments; s += TILE_SEGMENTS) {
            // The last block repeats its last segment, which then stores the same values twice.
            int s1 = Math.min(s + 1, segments - 1), s2 = Math.min(s + 2, segments - 1), s3 = Math.min(s + 3, segments - 1);
            for (int r = 0; r < rows; r += TILE_ROWS) {
                tile(taps, packed, packedOff + r * taps, scratch, d.shift(), in[s], in[s1], in[s2], in[s3],
                        target, targetOff + r * plane, plane, Math.min(TILE_ROWS, rows - r), at[s], at[s1], at[s2], at[s3]);
            }
        }
        for (int o = 0; o < rows && !whole; o++) {
            for (int oh = 0; oh < d.outHeight(); oh++) {
                FloatConv.copy(scratch, padded + o * plane + oh * d.pitch(), out, outOff + (o * d.outHeight() + oh) * d.outWidth(),
                        d.outWidth());
            }
        }
    }

    /**
     * {@link #convDirect} with vectors of {@code L} output channels (weights {@code packed[.. + t*L + i]}) and
     * blocks of eight outputs j of a plane (the last block repeating its last output), each reading tap t
     * of the padded planes at {@code scratch[positions[j] + shift[t]]}: eight accumulators over all taps,
     * stored an output at a time to {@code scratch[padded + j*L ..)}, from where each channel's outputs are
     * moved into its plane.
     */
    private static void acrossChannels(DirectLayout d, int padded, float[] packed, int packedOff, int rows, float[] out,
                                       int outOff, float[] scratch) {
        int taps = d.shift().length, outPlane = d.outHeight() * d.outWidth(), last = outPlane - 1;
        int[] shift = d.shift(), at = d.positions();
        for (int r = 0; r < rows; r += L) {
            int wo = packedOff + r * taps;
            for (int j = 0; j < outPlane; j += DirectLayout.POSITIONS) {
                int p0 = at[j], p1 = at[Math.min(j + 1, last)], p2 = at[Math.min(j + 2, last)], p3 = at[Math.min(j + 3, last)];
                int p4 = at[Math.min(j + 4, last)], p5 = at[Math.min(j + 5, last)], p6 = at[Math.min(j + 6, last)];
                int p7 = at[Math.min(j + 7, last)];
                FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
                for (int t = 0; t < taps; t++) {
                    int sh = shift[t];
                    FloatVector v = FloatVector.fromArray(S, packed, wo + t * L);
                    c0 = v.fma(FloatVector.broadcast(S, scratch[p0 + sh]), c0);
                    c1 = v.fma(FloatVector.broadcast(S, scratch[p1 + sh]), c1);
                    c2 = v.fma(FloatVector.broadcast(S, scratch[p2 + sh]), c2);
                    c3 = v.fma(FloatVector.broadcast(S, scratch[p3 + sh]), c3);
                    c4 = v.fma(FloatVector.broadcast(S, scratch[p4 + sh]), c4);
                    c5 = v.fma(FloatVector.broadcast(S, scratch[p5 + sh]), c5);
                    c6 = v.fma(FloatVector.broadcast(S, scratch[p6 + sh]), c6);
                    c7 = v.fma(FloatVector.broadcast(S, scratch[p7 + sh]), c7);
                }
                int o = padded + j * L;
                c0.intoArray(scratch, o);
                c1.intoArray(scratch, o + L);
                c2.intoArray(scratch, o + 2 * L);
                c3.intoArray(scratch, o + 3 * L);
                c4.intoArray(scratch, o + 4 * L);
                c5.intoArray(scratch, o + 5 * L);
                c6.intoArray(scratch, o + 6 * L);
                c7.intoArray(scratch, o + 7 * L);
            }
            for (int i = 0; i < Math.min(L, rows - r); i++) {
                int o = outOff + (r + i) * outPlane;
                for (int j = 0; j < outPlane; j++) {
                    out[o + j] = scratch[padded + i + j * L];
                }
            }
        }
    }

    /** Vectors of output channels and taps of the register block of {@link #weightGradDirect}: twelve accumulators. */
    private static final int GRAD_VECTORS = DirectLayout.GRAD_VECTORS;
    private static final int GRAD_TAPS = 6;

    /**
     * The weight gradient of a stride-1 convolution without unfolding:
     * {@code sums[sumOff + o*taps + t] += sum over n < samples, then outputs j, of gy_n[o, j] * x_n[tap t of j]}
     * for {@code o < rows} and taps {@code t in [tapFrom, tapTo)}, where sample n's {@code channels} planes lie at
     * {@code x[xOff + n*xStride]} and its output gradient's rows at {@code gy[gyOff + n*gyStride]}. The input
     * planes are padded as for {@link #convDirect} and the output gradient laid out an output at a time, two
     * vectors of channels each; then two vectors of channels by six taps (the last block repeating its last
     * tap) accumulate over all samples and outputs, each output reading its taps from its own position (see
     * {@link DirectLayout#positions}): the vector loads of a GEMM's micro-kernel, without packing or unfolding.
     * Each sum runs in that order whatever the range of taps. {@code scratch} holds
     * {@code d.weightScratch(channels, samples)} elements, zeros where no input lands, as for {@link #convDirect}.
     */
    public static void weightGradDirect(DirectLayout d, float[] x, int xOff, int xStride, int channels, float[] gy, int gyOff,
                                        int gyStride, int rows, int samples, int tapFrom, int tapTo, float[] sums, int sumOff,
                                        float[] scratch) {
        int padded = d.paddedSize(channels), taps = d.shift().length, outPlane = d.outHeight() * d.outWidth();
        // Sample n's padded planes, then its output gradient laid out, at n*block: where the padding lies does
        // not depend on how many samples a call takes.
        int width = GRAD_VECTORS * L, block = padded + outPlane * width;
        int[] shift = d.shift(), at = d.positions();
        float[] tile = new float[GRAD_TAPS * width];
        for (int n = 0; n < samples; n++) {
            pad(d, x, xOff + n * xStride, channels, scratch, n * block);
        }
        int[] channel = new int[width];
        for (int r = 0; r < rows; r += width) {
            // Gathered a vector of channels at a time (a scalar transpose took a tenth of the time); the lanes
            // past the last channel repeat it, and never reach the sums.
            int lanes = Math.min(width, rows - r);
            for (int i = 0; i < width; i++) {
                channel[i] = Math.min(i, lanes - 1) * outPlane;
            }
            for (int n = 0; n < samples; n++) {
                int from = gyOff + n * gyStride + r * outPlane, to = n * block + padded;
                for (int j = 0; j < outPlane; j++) {
                    FloatVector.fromArray(S, gy, from + j, channel, 0).intoArray(scratch, to + j * width);
                    FloatVector.fromArray(S, gy, from + j, channel, L).intoArray(scratch, to + j * width + L);
                }
            }
            for (int t = tapFrom; t < tapTo; t += GRAD_TAPS) {
                int s0 = shift[t], s1 = shift[Math.min(t + 1, tapTo - 1)], s2 = shift[Math.min(t + 2, tapTo - 1)];
                int s3 = shift[Math.min(t + 3, tapTo - 1)], s4 = shift[Math.min(t + 4, tapTo - 1)];
                int s5 = shift[Math.min(t + 5, tapTo - 1)];
                FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
                FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
                for (int n = 0; n < samples; n++) {
                    int xb = n * block, gb = xb + padded;
                    for (int j = 0; j < outPlane; j++) {
                        FloatVector v0 = FloatVector.fromArray(S, scratch, gb + j * width);
                        FloatVector v1 = FloatVector.fromArray(S, scratch, gb + j * width + L);
                        int xi = xb + at[j];
                        FloatVector b = FloatVector.broadcast(S, scratch[xi + s0]);
                        c00 = v0.fma(b, c00);
                        c01 = v1.fma(b, c01);
                        b = FloatVector.broadcast(S, scratch[xi + s1]);
                        c10 = v0.fma(b, c10);
                        c11 = v1.fma(b, c11);
                        b = FloatVector.broadcast(S, scratch[xi + s2]);
                        c20 = v0.fma(b, c20);
                        c21 = v1.fma(b, c21);
                        b = FloatVector.broadcast(S, scratch[xi + s3]);
                        c30 = v0.fma(b, c30);
                        c31 = v1.fma(b, c31);
                        b = FloatVector.broadcast(S, scratch[xi + s4]);
                        c40 = v0.fma(b, c40);
                        c41 = v1.fma(b, c41);
                        b = FloatVector.broadcast(S, scratch[xi + s5]);
                        c50 = v0.fma(b, c50);
                        c51 = v1.fma(b, c51);
                    }
                }
                store(tile, 0, 0, L, 2 * L, 3 * L, c00, c01, c10, c11);
                store(tile, 0, 4 * L, 5 * L, 6 * L, 7 * L, c20, c21, c30, c31);
                store(tile, 0, 8 * L, 9 * L, 10 * L, 11 * L, c40, c41, c50, c51);
                for (int k = 0; k < Math.min(GRAD_TAPS, tapTo - t); k++) {
                    for (int i = 0; i < lanes; i++) {
                        sums[sumOff + (r + i) * taps + t + k] += tile[k * width + i];
                    }
                }
            }
        }
    }

    /**
     * Four channels (weights {@code w[wo + 4t + i]}) by four segments (input at {@code x[xi + shift[t]]}):
     * sixteen accumulators over all taps, stored to rows {@code i < count} of {@code out[oo + i*plane + at]}.
     */
    private static void tile(int taps, float[] w, int wo, float[] x, int[] shift, int x0, int x1, int x2, int x3,
                             float[] out, int oo, int plane, int count, int at0, int at1, int at2, int at3) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int t = 0; t < taps; t++) {
            int sh = shift[t], wi = wo + TILE_ROWS * t;
            FloatVector y0 = FloatVector.fromArray(S, x, x0 + sh);
            FloatVector y1 = FloatVector.fromArray(S, x, x1 + sh);
            FloatVector y2 = FloatVector.fromArray(S, x, x2 + sh);
            FloatVector y3 = FloatVector.fromArray(S, x, x3 + sh);
            FloatVector v = FloatVector.broadcast(S, w[wi]);
            c00 = v.fma(y0, c00);
            c01 = v.fma(y1, c01);
            c02 = v.fma(y2, c02);
            c03 = v.fma(y3, c03);
            v = FloatVector.broadcast(S, w[wi + 1]);
            c10 = v.fma(y0, c10);
            c11 = v.fma(y1, c11);
            c12 = v.fma(y2, c12);
            c13 = v.fma(y3, c13);
            v = FloatVector.broadcast(S, w[wi + 2]);
            c20 = v.fma(y0, c20);
            c21 = v.fma(y1, c21);
            c22 = v.fma(y2, c22);
            c23 = v.fma(y3, c23);
            v = FloatVector.broadcast(S, w[wi + 3]);
            c30 = v.fma(y0, c30);
            c31 = v.fma(y1, c31);
            c32 = v.fma(y2, c32);
            c33 = v.fma(y3, c33);
        }
        store(out, oo, at0, at1, at2, at3, c00, c01, c02, c03);
        if (count > 1) {
            store(out, oo + plane, at0, at1, at2, at3, c10, c11, c12, c13);
        }
        if (count > 2) {
            store(out, oo + 2 * plane, at0, at1, at2, at3, c20, c21, c22, c23);
        }
        if (count > 3) {
            store(out, oo + 3 * plane, at0, at1, at2, at3, c30, c31, c32, c33);
        }
    }

    private static void store(float[] out, int row, int at0, int at1, int at2, int at3, FloatVector v0, FloatVector v1,
                              FloatVector v2, FloatVector v3) {
        v0.intoArray(out, row + at0);
        v1.intoArray(out, row + at1);
        v2.intoArray(out, row + at2);
        v3.intoArray(out, row + at3);
    }

    /**
     * The {@code channels} planes at {@code xOff} into {@code dst[dstOff ..)} as {@link DirectLayout} places them:
     * the rows of input only, since the padding and spare zeros of {@code dst} hold zeros already (see
     * {@link #convDirect}; zeroing the whole copy first took a fifth of the time of this on the 32 to 64 channel
     * benchmark layer). Rows are a few elements each on small planes: System.arraycopy, whose intrinsic is
     * inlined where a call to a vector loop was not. (A vector loop written here instead, inlined into
     * {@link #weightGradDirect}, pushed that method past the JIT's node count for inlining, and its
     * accumulators, no longer inlined into their stores, were boxed: five times as slow.)
     */
    private static void pad(DirectLayout d, float[] x, int xOff, int channels, float[] dst, int dstOff) {
        int pw = d.paddedW(), from = Math.max(0, d.left()), to = Math.min(pw, d.left() + d.width()), n = to - from;
        int r0 = Math.max(0, d.top()), r1 = Math.min(d.paddedH(), d.top() + d.height());
        for (int c = 0; c < channels && n > 0; c++) {
            for (int r = r0; r < r1; r++) {
                int src = xOff + (c * d.height() + r - d.top()) * d.width() + from - d.left();
                int at = dstOff + (c * d.paddedH() + r) * pw + from;
                System.arraycopy(x, src, dst, at, n);
            }
        }
    }
}
