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
}
