package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.Kernels;
import java.util.Arrays;

/** Selection by index arrays and its reverse: indexSelect, gather, oneHot, indexAddInPlace, scatterAddInPlace. Indices are whole numbers held in an NDArray. */
final class Indexing {

    private Indexing() {
    }

    /** The whole-number values of {@code index} in row-major order, each checked to lie in {@code [0, size)}. */
    static int[] indices(String name, NDArray index, int size, String axisText) {
        double[] values = index.toDoubleArray();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException(name + ": index " + v + " is not a whole number");
            }
            if (v < 0 || v >= size) {
                throw new IllegalArgumentException(name + ": index " + (long) v + " is out of bounds for " + axisText
                        + " with size " + size);
            }
            out[i] = (int) v;
        }
        return out;
    }

    static NDArray indexSelect(NDArray x, int axis, NDArray index) {
        String name = "indexSelect";
        int ax = Shape.axis(name, axis, x.shape);
        if (index.dim() != 1) {
            throw new IllegalArgumentException(name + ": index must be 1-D, got shape " + Shape.format(index.shape));
        }
        int[] idx = indices(name, index, x.shape[ax], "axis " + axis + " of shape " + Shape.format(x.shape));
        int[] shape = x.shape.clone();
        shape[ax] = idx.length;
        NDArray out = NDArray.empty(x.dtype, shape);
        for (int j = 0; j < idx.length; j++) {
            Elementwise.copy(x.select(ax, idx[j]), out.select(ax, j));
        }
        return out;
    }

    /** PyTorch's gather: {@code out[..., j, ...] = x[..., index[..., j, ...], ...]} along {@code axis}. */
    static NDArray gather(NDArray x, int axis, NDArray index) {
        String name = "gather";
        int ax = Shape.axis(name, axis, x.shape);
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException(name + ": index of shape " + Shape.format(index.shape)
                    + " must have the rank of the input " + Shape.format(x.shape));
        }
        for (int d = 0; d < x.dim(); d++) {
            if (d != ax && index.shape[d] > x.shape[d]) {
                throw new IllegalArgumentException(name + ": index of shape " + Shape.format(index.shape)
                        + " is larger than the input " + Shape.format(x.shape) + " at axis " + d);
            }
        }
        int[] idx = indices(name, index, x.shape[ax], "axis " + axis + " of shape " + Shape.format(x.shape));
        // A view of x with the index's shape whose gathered axis does not advance: the index supplies it.
        int[] strides = x.strides.clone();
        strides[ax] = 0;
        NDArray base = x.view(index.shape(), strides, x.offset);
        NDArray out = NDArray.empty(x.dtype, index.shape);
        Kernels k = x.dtype.kernels();
        Object xd = x.data(), od = out.data();
        int axisStride = x.strides[ax];
        int[] position = {0};
        ElementRuns.forEach(out.shape, new int[] {out.offset, base.offset}, new int[][] {out.strides, base.strides},
                (off, st, n) -> {
                    for (int i = 0; i < n; i++) {
                        int from = off[1] + i * st[1] + idx[position[0]++] * axisStride;
                        k.set(od, off[0] + i * st[0], k.get(xd, from));
                    }
                });
        return out;
    }

    /** PyTorch's index_add_: {@code x.select(axis, index[j]) += source.select(axis, j)} for each {@code j}. */
    static NDArray indexAddInPlace(NDArray x, int axis, NDArray index, NDArray source) {
        String name = "indexAddInPlace";
        int ax = Shape.axis(name, axis, x.shape);
        if (index.dim() != 1) {
            throw new IllegalArgumentException(name + ": index must be 1-D, got shape " + Shape.format(index.shape));
        }
        int[] expected = x.shape.clone();
        expected[ax] = index.numel();
        if (!Arrays.equals(source.shape, expected)) {
            throw new IllegalArgumentException(name + ": source of shape " + Shape.format(source.shape)
                    + " does not match " + Shape.format(expected) + " (the input " + Shape.format(x.shape)
                    + " with axis " + axis + " as long as the index)");
        }
        int[] idx = indices(name, index, x.shape[ax], "axis " + axis + " of shape " + Shape.format(x.shape));
        for (int j = 0; j < idx.length; j++) {
            x.select(ax, idx[j]).addInPlace(source.select(ax, j));
        }
        return x;
    }

    /** PyTorch's scatter_add_: {@code x[..., index[..., j, ...], ...] += source[..., j, ...]} along {@code axis}. */
    static NDArray scatterAddInPlace(NDArray x, int axis, NDArray index, NDArray source) {
        String name = "scatterAddInPlace";
        int ax = Shape.axis(name, axis, x.shape);
        if (index.dim() != x.dim() || source.dim() != x.dim()) {
            throw new IllegalArgumentException(name + ": index " + Shape.format(index.shape) + " and source "
                    + Shape.format(source.shape) + " must have the rank of the input " + Shape.format(x.shape));
        }
        for (int d = 0; d < x.dim(); d++) {
            if (index.shape[d] > source.shape[d] || (d != ax && index.shape[d] > x.shape[d])) {
                throw new IllegalArgumentException(name + ": index of shape " + Shape.format(index.shape)
                        + " is larger than the source " + Shape.format(source.shape) + " or the input "
                        + Shape.format(x.shape) + " at axis " + d);
            }
        }
        int[] idx = indices(name, index, x.shape[ax], "axis " + axis + " of shape " + Shape.format(x.shape));
        int[] strides = x.strides.clone();
        strides[ax] = 0;
        NDArray target = x.view(index.shape(), strides, x.offset);
        NDArray from = source.to(x.dtype);
        for (int d = 0; d < x.dim(); d++) {
            from = from.slice(d, 0, index.shape[d]);
        }
        Kernels k = x.dtype.kernels();
        Object xd = x.data(), sd = from.data();
        int axisStride = x.strides[ax];
        int[] position = {0};
        ElementRuns.forEach(index.shape, new int[] {target.offset, from.offset}, new int[][] {target.strides, from.strides},
                (off, st, n) -> {
                    for (int i = 0; i < n; i++) {
                        int to = off[0] + i * st[0] + idx[position[0]++] * axisStride;
                        k.set(xd, to, k.get(xd, to) + k.get(sd, off[1] + i * st[1]));
                    }
                });
        x.storage.bumpVersion();
        return x;
    }

    static NDArray oneHot(NDArray index, int numClasses) {
        String name = "oneHot";
        int classes = numClasses;
        if (classes < 0) {
            classes = index.numel() == 0 ? 0 : (int) index.max().item() + 1;
        }
        int[] idx = indices(name, index, classes, "oneHot with " + classes + " classes");
        int[] shape = Views.insert(index.shape, index.dim(), classes);
        NDArray out = NDArray.zeros(index.dtype, shape);
        Kernels k = out.dtype.kernels();
        for (int i = 0; i < idx.length; i++) {
            k.set(out.data(), i * classes + idx[i], 1);
        }
        return out;
    }
}
