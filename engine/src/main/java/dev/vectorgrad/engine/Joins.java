package dev.vectorgrad.engine;

import java.util.Arrays;

/** Joining arrays along an axis and splitting one into views. */
final class Joins {

    private Joins() {
    }

    static NDArray cat(int axis, NDArray... arrays) {
        if (arrays.length == 0) {
            throw new IllegalArgumentException("cat: needs at least one array");
        }
        int[] first = arrays[0].shape;
        int ax = Shape.axis("cat", axis, first);
        DType dtype = arrays[0].dtype;
        int total = 0;
        for (NDArray a : arrays) {
            boolean same = a.shape.length == first.length;
            for (int i = 0; same && i < first.length; i++) {
                same = i == ax || a.shape[i] == first[i];
            }
            if (!same) {
                throw new IllegalArgumentException("cat: shapes " + shapes(arrays) + " differ outside axis " + axis);
            }
            dtype = DType.promote(dtype, a.dtype);
            total += a.shape[ax];
        }
        int[] shape = first.clone();
        shape[ax] = total;
        NDArray out = NDArray.empty(dtype, shape);
        int at = 0;
        for (NDArray a : arrays) {
            Elementwise.copy(a, out.slice(ax, at, at + a.shape[ax]));
            at += a.shape[ax];
        }
        return out;
    }

    static NDArray stack(int axis, NDArray... arrays) {
        if (arrays.length == 0) {
            throw new IllegalArgumentException("stack: needs at least one array");
        }
        for (NDArray a : arrays) {
            if (!Arrays.equals(a.shape, arrays[0].shape)) {
                throw new IllegalArgumentException("stack: all shapes must be equal, got " + shapes(arrays));
            }
        }
        NDArray[] expanded = new NDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            expanded[i] = arrays[i].unsqueeze(axis);
        }
        return cat(axis, expanded);
    }

    /** Views of consecutive pieces of {@code size} along {@code axis}; the last may be shorter. */
    static NDArray[] split(NDArray x, int size, int axis) {
        int ax = Shape.axis("split", axis, x.shape);
        if (size <= 0) {
            throw new IllegalArgumentException("split: piece size must be positive, got " + size + " for shape "
                    + Shape.format(x.shape));
        }
        int length = x.shape[ax];
        int pieces = Math.max(1, (length + size - 1) / size);
        int[] sizes = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            sizes[i] = Math.min(size, length - i * size);
        }
        return split(x, sizes, axis);
    }

    /** Views of consecutive pieces of the given sizes along {@code axis}; the sizes add up to its length. */
    static NDArray[] split(NDArray x, int[] sizes, int axis) {
        int ax = Shape.axis("split", axis, x.shape);
        int sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: negative piece size in " + Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != x.shape[ax]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + ", not to the size " + x.shape[ax] + " of axis " + axis + " in shape " + Shape.format(x.shape));
        }
        NDArray[] out = new NDArray[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = x.slice(ax, at, at + sizes[i]);
            at += sizes[i];
        }
        return out;
    }

    private static String shapes(NDArray[] arrays) {
        StringBuilder b = new StringBuilder();
        for (NDArray a : arrays) {
            b.append(b.isEmpty() ? "" : ", ").append(Shape.format(a.shape));
        }
        return b.toString();
    }
}
