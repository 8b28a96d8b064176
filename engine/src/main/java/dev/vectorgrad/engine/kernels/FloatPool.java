package dev.vectorgrad.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max and average pooling over one plane, and their gradients. Each window is first clipped to the
 * plane, so the inner loops carry no bounds tests. The forward passes run the output columns whose
 * windows lie wholly inside the plane a vector at a time (strides 1 and 2), each tap of inputs
 * {@code strideW} apart picked from two loads; the columns at the borders, wider strides, and the gradients
 * (scatters, where windows may overlap), are scalar.
 * Each call takes a block of consecutive planes, so that what depends on the window alone is worked out
 * once a block, and planes too small for a vector of columns are run together (see {@link #flatGather}).
 * Blocks of planes are the units of work the engine spreads across threads.
 *
 * <p>Template: the build's generate-double-kernels step writes the DoublePool twin from this file.
 */
public final class FloatPool {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatPool() {
    }

    /**
     * {@code out[outOff + q*outPlane + oh*outWidth + ow]}, for each of {@code planes} consecutive planes q, is
     * the largest input in the window of {@code (oh, ow)} (padding never wins), and {@code indices[...]} its
     * position {@code ih*width + iw} in the plane: the first one among ties, the first NaN if there is one
     * (as argmax). A window whose inputs are all -Inf points at its first input. Planes with outputs
     * narrower than a vector and every window inside (see {@link #flatGather}) run as one sequence of
     * outputs, a vector of them at a time, across plane boundaries; others a plane at a time.
     */
    public static void maxPool2d(Window2d w, int planes, float[] x, int xOff, float[] out, int outOff, float[] indices,
                                 int indicesOff) {
        int width = w.width(), ow = w.outWidth(), plane = w.height() * width, outPlane = w.outHeight() * ow;
        int[] rows = taps(w.outHeight(), w.strideH(), w.padH(), w.dilationH(), w.kernelH(), w.height());
        int[] cols = taps(ow, w.strideW(), w.padW(), w.dilationW(), w.kernelW(), width);
        int[] gather = flatGather(w, rows, cols);
        if (gather != null) {
            int period = gather.length, n = planes * outPlane, done = 0;
            float[] first = new float[period];
            for (int i = 0; i < period; i++) {
                first[i] = gather[i] - i / outPlane * plane;
            }
            for (; done + L <= n; done += L) {
                int m = done % period, base = xOff + done / period * (period / outPlane) * plane;
                FloatVector start = FloatVector.fromArray(S, first, m), at = start;
                FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                for (int ki = 0; ki < w.kernelH(); ki++) {
                    for (int kj = 0; kj < w.kernelW(); kj++) {
                        int p = ki * w.dilationH() * width + kj * w.dilationW();
                        FloatVector v = FloatVector.fromArray(S, x, base + p, gather, m);
                        VectorMask<Float> wins = v.compare(VectorOperators.GT, best)
                                .or(v.compare(VectorOperators.NE, v).and(best.compare(VectorOperators.EQ, best)));
                        best = best.blend(v, wins);
                        at = at.blend(start.add(p), wins);
                    }
                }
                best.intoArray(out, outOff + done);
                at.intoArray(indices, indicesOff + done);
            }
            for (; done < n; done++) {
                int q = done / outPlane, r = done % outPlane;
                maxAt(w, x, xOff + q * plane, rows, cols, r / ow, r % ow, out, outOff + done, indices, indicesOff + done);
            }
            return;
        }
        int[] inside = vectorColumns(w);
        float[] lanes = new float[L];
        for (int i = 0; i < L; i++) {
            lanes[i] = i * w.strideW();
        }
        FloatVector laneOffsets = FloatVector.fromArray(S, lanes, 0);
        FloatVector pick = pickLanes(w.strideW());
        int shift = tapShift(w.strideW());
        for (int q = 0; q < planes; q++) {
            int xq = xOff + q * plane;
            for (int oh = 0; oh < w.outHeight(); oh++) {
                int o = outOff + q * outPlane + oh * ow, io = indicesOff + q * outPlane + oh * ow, c = inside[0];
                for (; c + L <= inside[1]; c += L) {
                    int first = w.inputRow(oh, rows[2 * oh]) * width + w.inputCol(c, 0);
                    FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                    FloatVector at = laneOffsets.add(first);
                    for (int ki = rows[2 * oh]; ki < rows[2 * oh + 1]; ki++) {
                        for (int kj = 0; kj < w.kernelW(); kj++) {
                            int p = w.inputRow(oh, ki) * width + w.inputCol(c, kj);
                            FloatVector v = tap(x, xq + p, shift, pick);
                            VectorMask<Float> wins = v.compare(VectorOperators.GT, best)
                                    .or(v.compare(VectorOperators.NE, v).and(best.compare(VectorOperators.EQ, best)));
                            best = best.blend(v, wins);
                            at = at.blend(laneOffsets.add(p), wins);
                        }
                    }
                    best.intoArray(out, o + c);
                    at.intoArray(indices, io + c);
                }
                for (int col = 0; col < inside[0]; col++) {
                    maxAt(w, x, xq, rows, cols, oh, col, out, o + col, indices, io + col);
                }
                for (int col = c; col < ow; col++) {
                    maxAt(w, x, xq, rows, cols, oh, col, out, o + col, indices, io + col);
                }
            }
        }
    }

    /** One output of {@link #maxPool2d}, with scalar loops over the clipped window. */
    private static void maxAt(Window2d w, float[] x, int xOff, int[] rows, int[] cols, int oh, int ow, float[] out, int o,
                              float[] indices, int io) {
        int width = w.width();
        int at = w.inputRow(oh, rows[2 * oh]) * width + w.inputCol(ow, cols[2 * ow]);
        float best = Float.NEGATIVE_INFINITY;
        for (int ki = rows[2 * oh]; ki < rows[2 * oh + 1]; ki++) {
            int row = w.inputRow(oh, ki) * width;
            for (int kj = cols[2 * ow]; kj < cols[2 * ow + 1]; kj++) {
                int p = row + w.inputCol(ow, kj);
                float v = x[xOff + p];
                // Once a NaN has won, nothing does.
                boolean wins = v > best || (v != v && best == best);
                at = wins ? p : at;
                best = wins ? v : best;
            }
        }
        out[o] = best;
        indices[io] = at;
    }

    /**
     * {@code gradIn[gradInOff + q*planeSize + indices[k]] += gradOut[gradOutOff + k]} for {@code k < planes*n}
     * in order of k, where plane {@code q = k / n} has {@code n} outputs; false (and the remaining gradients
     * dropped) at the first index outside {@code [0, planeSize)}, which would write into another plane.
     */
    public static boolean maxPool2dBackward(float[] gradOut, int gradOutOff, float[] indices, int indicesOff, int n,
                                            int planes, int planeSize, float[] gradIn, int gradInOff) {
        for (int q = 0; q < planes; q++) {
            if (!scatter(gradOut, gradOutOff + q * n, indices, indicesOff + q * n, n, planeSize, gradIn, gradInOff + q * planeSize)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #maxPool2dBackward} of one plane. */
    private static boolean scatter(float[] gradOut, int gradOutOff, float[] indices, int indicesOff, int n, int planeSize,
                                   float[] gradIn, int gradInOff) {
        for (int k = 0; k < n; k++) {
            float at = indices[indicesOff + k];
            if (!(at >= 0 && at < planeSize)) {
                return false;
            }
            gradIn[gradInOff + (int) at] += gradOut[gradOutOff + k];
        }
        return true;
    }

    /**
     * {@code out[outOff + q*outPlane + oh*outWidth + ow]}, for each of {@code planes} consecutive planes q:
     * the sum of the window's inputs divided by the window's size, counting padding when
     * {@code countIncludePad} (but never the part of a ceil-mode window past the padding), else counting only
     * inputs, as PyTorch's avg_pool2d. Dilation is 1. Small planes run across plane boundaries as in
     * {@link #maxPool2d}.
     */
    public static void avgPool2d(Window2d w, int planes, boolean countIncludePad, float[] x, int xOff, float[] out,
                                 int outOff) {
        int width = w.width(), ow = w.outWidth(), plane = w.height() * width, outPlane = w.outHeight() * ow;
        int[] rows = spans(w.outHeight(), w.strideH(), w.padH(), w.kernelH(), w.height());
        int[] cols = spans(ow, w.strideW(), w.padW(), w.kernelW(), width);
        int[] gather = flatGather(w, taps(w.outHeight(), w.strideH(), w.padH(), 1, w.kernelH(), w.height()),
                taps(ow, w.strideW(), w.padW(), 1, w.kernelW(), width));
        if (gather != null) {
            int period = gather.length, n = planes * outPlane, done = 0, area = w.kernelH() * w.kernelW();
            for (; done + L <= n; done += L) {
                int m = done % period, base = xOff + done / period * (period / outPlane) * plane;
                FloatVector sum = FloatVector.zero(S);
                for (int ki = 0; ki < w.kernelH(); ki++) {
                    for (int kj = 0; kj < w.kernelW(); kj++) {
                        sum = sum.add(FloatVector.fromArray(S, x, base + ki * width + kj, gather, m));
                    }
                }
                sum.div(area).intoArray(out, outOff + done);
            }
            for (; done < n; done++) {
                int q = done / outPlane, r = done % outPlane;
                out[outOff + done] = avgAt(w, countIncludePad, x, xOff + q * plane, rows, cols, r / ow, r % ow);
            }
            return;
        }
        int[] inside = vectorColumns(w);
        FloatVector pick = pickLanes(w.strideW());
        int shift = tapShift(w.strideW());
        for (int q = 0; q < planes; q++) {
            int xq = xOff + q * plane;
            for (int oh = 0; oh < w.outHeight(); oh++) {
                int o = outOff + q * outPlane + oh * ow, c = inside[0];
                for (; c + L <= inside[1]; c += L) {
                    FloatVector sum = FloatVector.zero(S);
                    for (int ih = rows[3 * oh]; ih < rows[3 * oh + 1]; ih++) {
                        for (int kj = 0; kj < w.kernelW(); kj++) {
                            sum = sum.add(tap(x, xq + ih * width + w.inputCol(c, kj), shift, pick));
                        }
                    }
                    sum.div(divisor(rows, oh, cols, c, countIncludePad)).intoArray(out, o + c);
                }
                for (int col = 0; col < inside[0]; col++) {
                    out[o + col] = avgAt(w, countIncludePad, x, xq, rows, cols, oh, col);
                }
                for (int col = c; col < ow; col++) {
                    out[o + col] = avgAt(w, countIncludePad, x, xq, rows, cols, oh, col);
                }
            }
        }
    }

    /** One output of {@link #avgPool2d}, in the same order of additions as the vector loop. */
    private static float avgAt(Window2d w, boolean countIncludePad, float[] x, int xOff, int[] rows, int[] cols, int oh, int ow) {
        float sum = 0;
        for (int ih = rows[3 * oh]; ih < rows[3 * oh + 1]; ih++) {
            for (int iw = cols[3 * ow]; iw < cols[3 * ow + 1]; iw++) {
                sum += x[xOff + ih * w.width() + iw];
            }
        }
        return sum / divisor(rows, oh, cols, ow, countIncludePad);
    }

    /** The adjoint of {@link #avgPool2d} over {@code planes} planes: each output's gradient, divided by its window's size, added to its window. */
    public static void avgPool2dBackward(Window2d w, int planes, boolean countIncludePad, float[] gradOut, int gradOutOff,
                                         float[] gradIn, int gradInOff) {
        int[] rows = spans(w.outHeight(), w.strideH(), w.padH(), w.kernelH(), w.height());
        int[] cols = spans(w.outWidth(), w.strideW(), w.padW(), w.kernelW(), w.width());
        int plane = w.height() * w.width(), outPlane = w.outHeight() * w.outWidth();
        for (int q = 0; q < planes; q++) {
            int g = gradOutOff + q * outPlane, d = gradInOff + q * plane;
            for (int oh = 0; oh < w.outHeight(); oh++) {
                for (int ow = 0; ow < w.outWidth(); ow++) {
                    float share = gradOut[g + oh * w.outWidth() + ow] / divisor(rows, oh, cols, ow, countIncludePad);
                    for (int ih = rows[3 * oh]; ih < rows[3 * oh + 1]; ih++) {
                        for (int iw = cols[3 * ow]; iw < cols[3 * ow + 1]; iw++) {
                            gradIn[d + ih * w.width() + iw] += share;
                        }
                    }
                }
            }
        }
    }

    /**
     * Along one axis, for each output index {@code o}: {@code [3o]} and {@code [3o+1]} bound the window
     * clipped to the input, {@code [3o+2]} is its length clipped only to the padding.
     */
    private static int[] spans(int outSize, int stride, int pad, int kernel, int size) {
        int[] s = new int[3 * outSize];
        for (int o = 0; o < outSize; o++) {
            int start = o * stride - pad, end = Math.min(start + kernel, size + pad);
            s[3 * o] = Math.max(start, 0);
            s[3 * o + 1] = Math.min(end, size);
            s[3 * o + 2] = end - start;
        }
        return s;
    }

    private static int divisor(int[] rows, int oh, int[] cols, int ow, boolean countIncludePad) {
        return countIncludePad ? rows[3 * oh + 2] * cols[3 * ow + 2]
                : (rows[3 * oh + 1] - rows[3 * oh]) * (cols[3 * ow + 1] - cols[3 * ow]);
    }

    /**
     * {@code [from, to)}: the output columns that run a vector at a time, those whose every tap lies inside
     * the plane; none for strides past 2, whose taps two loads cannot hold.
     */
    private static int[] vectorColumns(Window2d w) {
        if (w.strideW() > 2) {
            return new int[] {0, 0};
        }
        int from = 0, to = w.outWidth();
        while (from < to && !insideColumn(w, from)) {
            from++;
        }
        while (to > from && !insideColumn(w, to - 1)) {
            to--;
        }
        return new int[] {from, to};
    }

    private static boolean insideColumn(Window2d w, int ow) {
        return w.inputCol(ow, 0) >= 0 && w.inputCol(ow, w.kernelW() - 1) < w.width();
    }

    /** Outputs a window slides over in one run across planes: at most this many in a period of its gather. */
    private static final int FLAT_PERIOD = 1 << 12;

    /**
     * For planes whose outputs are narrower than a vector and whose windows all lie inside the plane (taps
     * {@code rows} and {@code cols} as {@link #taps} gives them), the gather of the first tap of consecutive
     * outputs across consecutive planes: {@code map[i]} is the input offset, from the first of them, of the
     * window of output {@code i}, over the least whole number of planes that is also a whole number of
     * vectors, after which the pattern repeats one such period of planes further on. Null where wider rows
     * run a vector of columns at a time, where a window is clipped, or where the period would be long.
     */
    private static int[] flatGather(Window2d w, int[] rows, int[] cols) {
        int outPlane = w.outHeight() * w.outWidth();
        int period = outPlane / gcd(outPlane, L) * L;
        if (w.outWidth() >= L || period > FLAT_PERIOD || !whole(rows, w.kernelH()) || !whole(cols, w.kernelW())) {
            return null;
        }
        int[] map = new int[period];
        for (int i = 0; i < period; i++) {
            int r = i % outPlane, oh = r / w.outWidth(), ow = r % w.outWidth();
            map[i] = i / outPlane * w.height() * w.width() + w.inputRow(oh, 0) * w.width() + w.inputCol(ow, 0);
        }
        return map;
    }

    /** Whether every window along one axis holds all {@code kernel} of its taps ({@code taps} from {@link #taps}). */
    private static boolean whole(int[] taps, int kernel) {
        for (int o = 0; o < taps.length; o += 2) {
            if (taps[o] != 0 || taps[o + 1] != kernel) {
                return false;
            }
        }
        return true;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * The lanes of one tap of L output columns, inputs {@code stride} (1 or 2) apart, among two loads
     * {@link #tapShift} apart, numbered as {@code selectFrom} numbers two vectors' lanes.
     */
    private static FloatVector pickLanes(int stride) {
        float[] pick = new float[L];
        for (int j = 0; j < L; j++) {
            pick[j] = stride * j < L ? stride * j : L + stride * j - tapShift(stride);
        }
        return FloatVector.fromArray(S, pick, 0);
    }

    /** How far the second load of a tap starts after the first: it ends at the tap's last input. */
    private static int tapShift(int stride) {
        return (stride - 1) * (L - 1);
    }

    /**
     * One tap of L output columns from {@code at}: two loads, neither past the tap's last input, and one
     * select. (A gather would do, but runs several times slower than the scalar loop on some machines, Zen 4
     * among them.)
     */
    private static FloatVector tap(float[] x, int at, int shift, FloatVector pick) {
        return pick.selectFrom(FloatVector.fromArray(S, x, at), FloatVector.fromArray(S, x, at + shift));
    }

    /**
     * Along one axis, for each output index {@code o}: the taps {@code [taps[2o], taps[2o+1])} of its window
     * that land inside the input.
     */
    private static int[] taps(int outSize, int stride, int pad, int dilation, int kernel, int size) {
        int[] t = new int[2 * outSize];
        for (int o = 0; o < outSize; o++) {
            int start = o * stride - pad;
            t[2 * o] = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
            t[2 * o + 1] = start >= size ? 0 : Math.min(kernel, (size - 1 - start) / dilation + 1);
        }
        return t;
    }
}
