package dev.vectorgrad.engine;

import java.util.Arrays;

/**
 * Views: new shapes, strides and offsets over the same storage, never a copy (except {@link #reshape},
 * which copies only when no strides can express the new shape, as PyTorch's reshape does).
 */
final class Views {

    private Views() {
    }

    static NDArray reshape(NDArray x, int[] requested) {
        int[] shape = inferShape("reshape", x, requested);
        int[] strides = x.numel() == 0 ? Shape.contiguousStrides(shape) : viewStrides(x.shape, x.strides, shape);
        if (strides == null) {
            return reshape(x.contiguous(), shape);
        }
        return x.view(shape, strides, x.offset);
    }

    /** The requested shape with its one {@code -1} filled in, checked against the element count. */
    private static int[] inferShape(String op, NDArray x, int[] requested) {
        int[] shape = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be -1 in " + Shape.format(requested));
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Shape.format(requested));
            } else {
                known *= shape[i];
            }
        }
        int n = x.numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot reshape " + Shape.format(x.shape) + " (" + n
                        + " elements) to " + Shape.format(requested));
            }
            shape[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": cannot reshape " + Shape.format(x.shape) + " (" + n
                    + " elements) to " + Shape.format(requested) + " (" + known + " elements)");
        }
        return shape;
    }

    /**
     * Strides that give {@code newShape} over the same memory, or null when there are none: each group
     * of old dimensions that folds into a group of new ones must itself be contiguous (NumPy's rule).
     */
    private static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        int[] od = new int[oldShape.length];
        int[] os = new int[oldShape.length];
        int on = 0;
        for (int i = 0; i < oldShape.length; i++) {
            if (oldShape[i] != 1) {
                od[on] = oldShape[i];
                os[on++] = oldStrides[i];
            }
        }
        int nn = newShape.length;
        int[] ns = new int[nn];
        int oi = 0, oj = 1, ni = 0, nj = 1;
        while (ni < nn && oi < on) {
            long np = newShape[ni];
            long op = od[oi];
            while (np != op) {
                if (np < op) {
                    np *= newShape[nj++];
                } else {
                    op *= od[oj++];
                }
            }
            for (int k = oi; k < oj - 1; k++) {
                if (os[k] != od[k + 1] * os[k + 1]) {
                    return null;
                }
            }
            ns[nj - 1] = os[oj - 1];
            for (int k = nj - 1; k > ni; k--) {
                ns[k - 1] = ns[k] * newShape[k];
            }
            ni = nj++;
            oi = oj++;
        }
        for (int k = ni; k < nn; k++) {
            ns[k] = 1;
        }
        return ns;
    }

    static NDArray permute(NDArray x, int[] dims) {
        int rank = x.shape.length;
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " does not name each of the "
                    + rank + " axes of " + Shape.format(x.shape));
        }
        int[] shape = new int[rank];
        int[] strides = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int d = Shape.axis("permute", dims[i], x.shape);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " is not a permutation of the "
                        + rank + " axes of " + Shape.format(x.shape));
            }
            seen[d] = true;
            shape[i] = x.shape[d];
            strides[i] = x.strides[d];
        }
        return x.view(shape, strides, x.offset);
    }

    static NDArray transpose(NDArray x, int a, int b) {
        int[] dims = new int[x.shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i;
        }
        int ia = Shape.axis("transpose", a, x.shape);
        int ib = Shape.axis("transpose", b, x.shape);
        dims[ia] = ib;
        dims[ib] = ia;
        return permute(x, dims);
    }

    /** Python slicing {@code x[start:end:step]} along one axis: negative bounds count from the end. */
    static NDArray slice(NDArray x, int axis, int start, int end, int step) {
        int ax = Shape.axis("slice", axis, x.shape);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step + " for shape "
                    + Shape.format(x.shape));
        }
        int size = x.shape[ax];
        int from = clampIndex(start, size);
        int to = Math.max(from, clampIndex(end, size));
        int[] shape = x.shape.clone();
        int[] strides = x.strides.clone();
        shape[ax] = (to - from + step - 1) / step;
        strides[ax] = x.strides[ax] * step;
        return x.view(shape, strides, x.offset + (shape[ax] == 0 ? 0 : from * x.strides[ax]));
    }

    private static int clampIndex(int i, int size) {
        int j = i < 0 ? i + size : i;
        return Math.max(0, Math.min(size, j));
    }

    /** The sub-array at {@code index} along {@code axis}, with that axis removed. */
    static NDArray select(NDArray x, int axis, int index) {
        int ax = Shape.axis("select", axis, x.shape);
        int size = x.shape[ax];
        if (index < -size || index >= size) {
            throw new IllegalArgumentException("select: index " + index + " is out of bounds for axis " + axis
                    + " with size " + size + " in shape " + Shape.format(x.shape));
        }
        int i = index < 0 ? index + size : index;
        return x.view(remove(x.shape, ax), remove(x.strides, ax), x.offset + i * x.strides[ax]);
    }

    /** Size-1 dimensions stretched (stride 0) and new leading dimensions added; -1 keeps a size. */
    static NDArray expand(String op, NDArray x, int[] sizes) {
        int rank = sizes.length;
        int lead = rank - x.shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException(op + ": cannot expand " + Shape.format(x.shape) + " to "
                    + Shape.format(sizes) + " (fewer dimensions)");
        }
        int[] shape = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            int old = i < lead ? 1 : x.shape[i - lead];
            int want = sizes[i] == -1 && i >= lead ? old : sizes[i];
            if (want < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Shape.format(sizes));
            }
            if (old != want && old != 1) {
                throw new IllegalArgumentException(op + ": cannot expand " + Shape.format(x.shape) + " to "
                        + Shape.format(sizes) + " (dimension " + i + ": " + old + " is not 1)");
            }
            shape[i] = want;
            strides[i] = i < lead || old != want ? 0 : x.strides[i - lead];
        }
        return x.view(shape, strides, x.offset);
    }

    static NDArray squeeze(NDArray x) {
        int n = 0;
        for (int d : x.shape) {
            n += d == 1 ? 0 : 1;
        }
        int[] shape = new int[n];
        int[] strides = new int[n];
        for (int i = 0, j = 0; i < x.shape.length; i++) {
            if (x.shape[i] != 1) {
                shape[j] = x.shape[i];
                strides[j++] = x.strides[i];
            }
        }
        return x.view(shape, strides, x.offset);
    }

    static NDArray squeeze(NDArray x, int axis) {
        int ax = Shape.axis("squeeze", axis, x.shape);
        if (x.shape[ax] != 1) {
            return x;
        }
        return x.view(remove(x.shape, ax), remove(x.strides, ax), x.offset);
    }

    static NDArray unsqueeze(NDArray x, int axis) {
        int rank = x.shape.length;
        if (axis < -rank - 1 || axis > rank) {
            throw new IllegalArgumentException("unsqueeze: axis " + axis + " is out of range for shape "
                    + Shape.format(x.shape) + " (rank " + rank + ")");
        }
        int ax = axis < 0 ? axis + rank + 1 : axis;
        int stride = ax < rank ? x.strides[ax] * x.shape[ax] : 1;
        return x.view(insert(x.shape, ax, 1), insert(x.strides, ax, stride), x.offset);
    }

    static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    static int[] insert(int[] a, int i, int value) {
        int[] r = new int[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = value;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }
}
