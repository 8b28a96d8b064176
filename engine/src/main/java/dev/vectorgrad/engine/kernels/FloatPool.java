package dev.vectorgrad.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max and average pooling over one plane, and their gradients. Each window is first clipped to the
 * plane, so the inner loops carry no bounds tests. The forward passes run the output columns whose
 * windows lie wholly inside the plane a vector at a time, each tap a gather of inputs {@code strideW}
 * apart; the columns at the borders, and the gradients (scatters, where windows may overlap), are scalar. A plane
 * is the unit of work the engine spreads across threads.
 *
 * <p>Template: the build's generate-double-kernels step writes the DoublePool twin from this file.
 */
public final class FloatPool {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatPool() {
    }

    /**
     * {@code out[outOff + oh*outWidth + ow]} is the largest input in the window of {@code (oh, ow)} (padding
     * never wins), and {@code indices[...]} its position {@code ih*width + iw} in the plane: the first one
     * among ties, the first NaN if there is one (as argmax). A window whose inputs are all -Inf points at
     * its first input.
     */
    public static void maxPool2d(Window2d w, float[] x, int xOff, float[] out, int outOff, float[] indices, int indicesOff) {
        int width = w.width(), ow = w.outWidth();
        int[] rows = taps(w.outHeight(), w.strideH(), w.padH(), w.dilationH(), w.kernelH(), w.height());
        int[] cols = taps(ow, w.strideW(), w.padW(), w.dilationW(), w.kernelW(), width);
        int[] inside = insideColumns(w), map = strideMap(w);
        float[] lanes = new float[L];
        for (int i = 0; i < L; i++) {
            lanes[i] = map[i];
        }
        FloatVector laneOffsets = FloatVector.fromArray(S, lanes, 0);
        for (int oh = 0; oh < w.outHeight(); oh++) {
            int o = outOff + oh * ow, io = indicesOff + oh * ow, c = inside[0];
            for (; c + L <= inside[1]; c += L) {
                int first = w.inputRow(oh, rows[2 * oh]) * width + w.inputCol(c, 0);
                FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                FloatVector at = laneOffsets.add(first);
                for (int ki = rows[2 * oh]; ki < rows[2 * oh + 1]; ki++) {
                    for (int kj = 0; kj < w.kernelW(); kj++) {
                        int p = w.inputRow(oh, ki) * width + w.inputCol(c, kj);
                        FloatVector v = FloatVector.fromArray(S, x, xOff + p, map, 0);
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
                maxAt(w, x, xOff, rows, cols, oh, col, out, o + col, indices, io + col);
            }
            for (int col = c; col < ow; col++) {
                maxAt(w, x, xOff, rows, cols, oh, col, out, o + col, indices, io + col);
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
     * {@code gradIn[gradInOff + indices[k]] += gradOut[gradOutOff + k]} for {@code k < n}, in order of k; false
     * (and the remaining gradients dropped) at the first index outside {@code [0, planeSize)}, which would
     * write into another plane.
     */
    public static boolean maxPool2dBackward(float[] gradOut, int gradOutOff, float[] indices, int indicesOff, int n,
                                            int planeSize, float[] gradIn, int gradInOff) {
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
     * {@code out[outOff + oh*outWidth + ow]}: the sum of the window's inputs divided by the window's size,
     * counting padding when {@code countIncludePad} (but never the part of a ceil-mode window past the
     * padding), else counting only inputs, as PyTorch's avg_pool2d. Dilation is 1.
     */
    public static void avgPool2d(Window2d w, boolean countIncludePad, float[] x, int xOff, float[] out, int outOff) {
        int[] rows = spans(w.outHeight(), w.strideH(), w.padH(), w.kernelH(), w.height());
        int[] cols = spans(w.outWidth(), w.strideW(), w.padW(), w.kernelW(), w.width());
        int[] inside = insideColumns(w), map = strideMap(w);
        for (int oh = 0; oh < w.outHeight(); oh++) {
            int o = outOff + oh * w.outWidth(), c = inside[0];
            for (; c + L <= inside[1]; c += L) {
                FloatVector sum = FloatVector.zero(S);
                for (int ih = rows[3 * oh]; ih < rows[3 * oh + 1]; ih++) {
                    for (int kj = 0; kj < w.kernelW(); kj++) {
                        sum = sum.add(FloatVector.fromArray(S, x, xOff + ih * w.width() + w.inputCol(c, kj), map, 0));
                    }
                }
                sum.div(divisor(rows, oh, cols, c, countIncludePad)).intoArray(out, o + c);
            }
            for (int col = 0; col < inside[0]; col++) {
                out[o + col] = avgAt(w, countIncludePad, x, xOff, rows, cols, oh, col);
            }
            for (int col = c; col < w.outWidth(); col++) {
                out[o + col] = avgAt(w, countIncludePad, x, xOff, rows, cols, oh, col);
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

    /** The adjoint of {@link #avgPool2d}: each output's gradient, divided by its window's size, added to its window. */
    public static void avgPool2dBackward(Window2d w, boolean countIncludePad, float[] gradOut, int gradOutOff,
                                         float[] gradIn, int gradInOff) {
        int[] rows = spans(w.outHeight(), w.strideH(), w.padH(), w.kernelH(), w.height());
        int[] cols = spans(w.outWidth(), w.strideW(), w.padW(), w.kernelW(), w.width());
        for (int oh = 0; oh < w.outHeight(); oh++) {
            for (int ow = 0; ow < w.outWidth(); ow++) {
                float share = gradOut[gradOutOff + oh * w.outWidth() + ow] / divisor(rows, oh, cols, ow, countIncludePad);
                for (int ih = rows[3 * oh]; ih < rows[3 * oh + 1]; ih++) {
                    for (int iw = cols[3 * ow]; iw < cols[3 * ow + 1]; iw++) {
                        gradIn[gradInOff + ih * w.width() + iw] += share;
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

    /** {@code [from, to)}: the output columns whose every tap lies inside the plane. */
    private static int[] insideColumns(Window2d w) {
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

    /** The gather of one tap for L consecutive output columns: inputs {@code strideW} apart. */
    private static int[] strideMap(Window2d w) {
        int[] map = new int[L];
        for (int i = 0; i < L; i++) {
            map[i] = i * w.strideW();
        }
        return map;
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
