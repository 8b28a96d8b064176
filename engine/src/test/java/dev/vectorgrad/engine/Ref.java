package dev.vectorgrad.engine;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The scalar oracle of the engine's property tests: a row-major array of doubles with a shape, and the
 * textbook loops for broadcasting, reductions, views and matmul. Nothing here shares code with the
 * engine; everything is written the slow, obvious way.
 */
record Ref(double[] data, int[] shape) {

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static int[] unravel(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    static int ravel(int[] index, int[] shape) {
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    double at(int... index) {
        return data[ravel(index, shape)];
    }

    int numel() {
        return data.length;
    }

    Ref map(DoubleUnaryOperator f) {
        return new Ref(Arrays.stream(data).map(f).toArray(), shape);
    }

    static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int x = d - (rank - a.length) >= 0 ? a[d - (rank - a.length)] : 1;
            int y = d - (rank - b.length) >= 0 ? b[d - (rank - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("not broadcastable");
            }
            out[d] = x == 1 ? y : x;
        }
        return out;
    }

    /** The element of this array that broadcasting maps to {@code index} of a larger shape. */
    double broadcastAt(int[] index) {
        int[] own = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            int i = index[index.length - shape.length + d];
            own[d] = shape[d] == 1 ? 0 : i;
        }
        return at(own);
    }

    Ref zip(Ref other, DoubleBinaryOperator f) {
        int[] out = broadcastShape(shape, other.shape);
        double[] r = new double[numel(out)];
        for (int k = 0; k < r.length; k++) {
            int[] index = unravel(k, out);
            r[k] = f.applyAsDouble(broadcastAt(index), other.broadcastAt(index));
        }
        return new Ref(r, out);
    }

    Ref broadcastTo(int[] target) {
        double[] r = new double[numel(target)];
        for (int k = 0; k < r.length; k++) {
            r[k] = broadcastAt(unravel(k, target));
        }
        return new Ref(r, target);
    }

    Ref permute(int... dims) {
        int[] out = new int[dims.length];
        for (int d = 0; d < dims.length; d++) {
            out[d] = shape[dims[d]];
        }
        double[] r = new double[numel(out)];
        for (int k = 0; k < r.length; k++) {
            int[] index = unravel(k, out);
            int[] src = new int[dims.length];
            for (int d = 0; d < dims.length; d++) {
                src[dims[d]] = index[d];
            }
            r[k] = at(src);
        }
        return new Ref(r, out);
    }

    Ref slice(int axis, int start, int end, int step) {
        int[] out = shape.clone();
        out[axis] = Math.max(0, (end - start + step - 1) / step);
        double[] r = new double[numel(out)];
        for (int k = 0; k < r.length; k++) {
            int[] index = unravel(k, out);
            index[axis] = start + index[axis] * step;
            r[k] = at(index);
        }
        return new Ref(r, out);
    }

    /** Folds the elements along {@code axes} with {@code fold} applied to the list of values of each output. */
    Ref reduce(int[] axes, boolean keepDims, java.util.function.ToDoubleFunction<double[]> fold) {
        boolean[] reduced = new boolean[shape.length];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] kept = new int[shape.length];
        int group = 1;
        for (int d = 0; d < shape.length; d++) {
            kept[d] = reduced[d] ? 1 : shape[d];
            group *= reduced[d] ? shape[d] : 1;
        }
        double[][] groups = new double[numel(kept)][group];
        int[] filled = new int[groups.length];
        for (int k = 0; k < data.length; k++) {
            int[] index = unravel(k, shape);
            for (int d = 0; d < shape.length; d++) {
                if (reduced[d]) {
                    index[d] = 0;
                }
            }
            int g = ravel(index, kept);
            groups[g][filled[g]++] = data[k];
        }
        double[] r = new double[groups.length];
        for (int g = 0; g < r.length; g++) {
            r[g] = fold.applyAsDouble(groups[g]);
        }
        if (keepDims) {
            return new Ref(r, kept);
        }
        return new Ref(r, Arrays.stream(range(shape.length)).filter(d -> !reduced[d]).map(d -> shape[d]).toArray());
    }

    static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    /** NumPy matmul of arrays of rank at least 2, with broadcast batch dimensions. */
    Ref matmul(Ref other) {
        int m = shape[shape.length - 2], k = shape[shape.length - 1], n = other.shape[other.shape.length - 1];
        int[] batch = broadcastShape(Arrays.copyOf(shape, shape.length - 2),
                Arrays.copyOf(other.shape, other.shape.length - 2));
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = m;
        out[batch.length + 1] = n;
        double[] r = new double[numel(out)];
        for (int flat = 0; flat < r.length; flat++) {
            int[] index = unravel(flat, out);
            double s = 0;
            for (int p = 0; p < k; p++) {
                int[] ai = index.clone();
                ai[batch.length + 1] = p;
                int[] bi = index.clone();
                bi[batch.length] = p;
                s += broadcastAt(ai) * other.broadcastAt(bi);
            }
            r[flat] = s;
        }
        return new Ref(r, out);
    }

    // ---- convolution and pooling, from their definitions ------------------------------------------

    /** A tap of a convolution: output {@code [n, o, i, j]} reads input {@code [n, c, ih, iw]} through weight {@code [o, cw, ki, kj]}. */
    interface Tap {
        void visit(int[] out, int[] in, int[] weight);
    }

    /**
     * Every tap of a 2-D convolution that lands inside the input (taps on padding contribute nothing):
     * {@code x} is {@code [N, C, H, W]}, {@code w} {@code [O, C/groups, kh, kw]}, {@code out} the output size.
     */
    static void convTaps(int[] x, int[] w, int[] out, int[] stride, int[] pad, int[] dil, int groups, Tap tap) {
        int og = w[0] / groups, cg = w[1];
        for (int n = 0; n < x[0]; n++) {
            for (int o = 0; o < w[0]; o++) {
                for (int i = 0; i < out[0]; i++) {
                    for (int j = 0; j < out[1]; j++) {
                        for (int cw = 0; cw < cg; cw++) {
                            for (int ki = 0; ki < w[2]; ki++) {
                                for (int kj = 0; kj < w[3]; kj++) {
                                    int ih = i * stride[0] + ki * dil[0] - pad[0], iw = j * stride[1] + kj * dil[1] - pad[1];
                                    if (ih >= 0 && ih < x[2] && iw >= 0 && iw < x[3]) {
                                        tap.visit(new int[] {n, o, i, j}, new int[] {n, o / og * cg + cw, ih, iw},
                                                new int[] {o, cw, ki, kj});
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The output size of a convolution or floor-mode pooling along one axis. */
    static int convOut(int size, int kernel, int stride, int pad, int dil) {
        return Math.floorDiv(size + 2 * pad - dil * (kernel - 1) - 1, stride) + 1;
    }

    /** {@code [N, O, OH, OW]}; also the sum of |terms| of each output, for the rounding tolerance. */
    static Ref[] conv2d(Ref x, Ref w, int[] stride, int[] pad, int[] dil, int groups) {
        int[] out = {convOut(x.shape[2], w.shape[2], stride[0], pad[0], dil[0]), convOut(x.shape[3], w.shape[3], stride[1], pad[1], dil[1])};
        int[] shape = {x.shape[0], w.shape[0], out[0], out[1]};
        double[] r = new double[numel(shape)], mag = new double[r.length];
        convTaps(x.shape, w.shape, out, stride, pad, dil, groups, (o, i, k) -> {
            double term = x.at(i) * w.at(k);
            r[ravel(o, shape)] += term;
            mag[ravel(o, shape)] += Math.abs(term);
        });
        return new Ref[] {new Ref(r, shape), new Ref(mag, shape)};
    }

    /** The input gradient of conv2d given the output gradient {@code gy}; also the sums of |terms|. */
    static Ref[] conv2dInputGrad(int[] xShape, Ref w, Ref gy, int[] stride, int[] pad, int[] dil, int groups) {
        double[] r = new double[numel(xShape)], mag = new double[r.length];
        convTaps(xShape, w.shape, new int[] {gy.shape[2], gy.shape[3]}, stride, pad, dil, groups, (o, i, k) -> {
            double term = gy.at(o) * w.at(k);
            r[ravel(i, xShape)] += term;
            mag[ravel(i, xShape)] += Math.abs(term);
        });
        return new Ref[] {new Ref(r, xShape), new Ref(mag, xShape)};
    }

    /** The weight gradient of conv2d given the input and the output gradient {@code gy}; also the sums of |terms|. */
    static Ref[] conv2dWeightGrad(Ref x, int[] wShape, Ref gy, int[] stride, int[] pad, int[] dil, int groups) {
        double[] r = new double[numel(wShape)], mag = new double[r.length];
        convTaps(x.shape, wShape, new int[] {gy.shape[2], gy.shape[3]}, stride, pad, dil, groups, (o, i, k) -> {
            double term = gy.at(o) * x.at(i);
            r[ravel(k, wShape)] += term;
            mag[ravel(k, wShape)] += Math.abs(term);
        });
        return new Ref[] {new Ref(r, wShape), new Ref(mag, wShape)};
    }

    /**
     * PyTorch's pooling output size: in ceil mode the division rounds up, and a last window that would
     * start at or past the end of the input and its left padding is dropped.
     */
    static int poolOut(int size, int kernel, int stride, int pad, int dil, boolean ceil) {
        int span = size + 2 * pad - dil * (kernel - 1) - 1;
        int out = (ceil ? Math.ceilDiv(span, stride) : Math.floorDiv(span, stride)) + 1;
        return ceil && (out - 1) * stride >= size + pad ? out - 1 : out;
    }

    /**
     * Max pooling by scanning each window's taps in row-major order: {values, indices}, the index of the
     * first maximum (of the first NaN if any) as {@code ih*W + iw}; padding never takes part.
     */
    static Ref[] maxPool2d(Ref x, int[] kernel, int[] stride, int[] pad, int[] dil, boolean ceil) {
        int[] shape = {x.shape[0], x.shape[1], poolOut(x.shape[2], kernel[0], stride[0], pad[0], dil[0], ceil),
            poolOut(x.shape[3], kernel[1], stride[1], pad[1], dil[1], ceil)};
        double[] values = new double[numel(shape)], indices = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            int[] o = unravel(k, shape);
            double best = Double.NaN;
            int at = -1;
            for (int ki = 0; ki < kernel[0]; ki++) {
                for (int kj = 0; kj < kernel[1]; kj++) {
                    int ih = o[2] * stride[0] + ki * dil[0] - pad[0], iw = o[3] * stride[1] + kj * dil[1] - pad[1];
                    if (ih < 0 || ih >= x.shape[2] || iw < 0 || iw >= x.shape[3]) {
                        continue;
                    }
                    double v = x.at(o[0], o[1], ih, iw);
                    boolean bestIsNan = at >= 0 && Double.isNaN(best);
                    if (at < 0 || (!bestIsNan && (Double.isNaN(v) || v > best))) {
                        best = v;
                        at = ih * x.shape[3] + iw;
                    }
                }
            }
            values[k] = best;
            indices[k] = at;
        }
        return new Ref[] {new Ref(values, shape), new Ref(indices, shape)};
    }

    /** The input gradient of max pooling: each output gradient added at its window's maximum. */
    static Ref maxPool2dBackward(Ref gy, Ref indices, int[] xShape) {
        double[] r = new double[numel(xShape)];
        for (int k = 0; k < gy.numel(); k++) {
            int[] o = unravel(k, gy.shape);
            int at = (int) indices.data[k];
            r[ravel(new int[] {o[0], o[1], at / xShape[3], at % xShape[3]}, xShape)] += gy.data[k];
        }
        return new Ref(r, xShape);
    }

    /**
     * Average pooling: the sum over the window's inputs divided by the number of its taps that lie inside
     * the padded input ({@code countIncludePad}) or inside the input itself.
     */
    static Ref avgPool2d(Ref x, int[] kernel, int[] stride, int[] pad, boolean ceil, boolean countIncludePad) {
        int[] shape = {x.shape[0], x.shape[1], poolOut(x.shape[2], kernel[0], stride[0], pad[0], 1, ceil),
            poolOut(x.shape[3], kernel[1], stride[1], pad[1], 1, ceil)};
        double[] r = new double[numel(shape)];
        for (int k = 0; k < r.length; k++) {
            int[] o = unravel(k, shape);
            r[k] = windowSum(x, o, kernel, stride, pad) / divisor(x.shape, o, kernel, stride, pad, countIncludePad);
        }
        return new Ref(r, shape);
    }

    /** The input gradient of average pooling: each output gradient spread over its window by the same divisor. */
    static Ref avgPool2dBackward(Ref gy, int[] xShape, int[] kernel, int[] stride, int[] pad, boolean countIncludePad) {
        double[] r = new double[numel(xShape)];
        for (int k = 0; k < gy.numel(); k++) {
            int[] o = unravel(k, gy.shape);
            double share = gy.data[k] / divisor(xShape, o, kernel, stride, pad, countIncludePad);
            for (int ki = 0; ki < kernel[0]; ki++) {
                for (int kj = 0; kj < kernel[1]; kj++) {
                    int ih = o[2] * stride[0] + ki - pad[0], iw = o[3] * stride[1] + kj - pad[1];
                    if (ih >= 0 && ih < xShape[2] && iw >= 0 && iw < xShape[3]) {
                        r[ravel(new int[] {o[0], o[1], ih, iw}, xShape)] += share;
                    }
                }
            }
        }
        return new Ref(r, xShape);
    }

    private static double windowSum(Ref x, int[] o, int[] kernel, int[] stride, int[] pad) {
        double sum = 0;
        for (int ki = 0; ki < kernel[0]; ki++) {
            for (int kj = 0; kj < kernel[1]; kj++) {
                int ih = o[2] * stride[0] + ki - pad[0], iw = o[3] * stride[1] + kj - pad[1];
                if (ih >= 0 && ih < x.shape[2] && iw >= 0 && iw < x.shape[3]) {
                    sum += x.at(o[0], o[1], ih, iw);
                }
            }
        }
        return sum;
    }

    private static int divisor(int[] xShape, int[] o, int[] kernel, int[] stride, int[] pad, boolean countIncludePad) {
        int count = 0;
        for (int ki = 0; ki < kernel[0]; ki++) {
            for (int kj = 0; kj < kernel[1]; kj++) {
                int ih = o[2] * stride[0] + ki - pad[0], iw = o[3] * stride[1] + kj - pad[1];
                boolean rows = countIncludePad ? ih >= -pad[0] && ih < xShape[2] + pad[0] : ih >= 0 && ih < xShape[2];
                boolean cols = countIncludePad ? iw >= -pad[1] && iw < xShape[3] + pad[1] : iw >= 0 && iw < xShape[3];
                if (rows && cols) {
                    count++;
                }
            }
        }
        return count;
    }
}
