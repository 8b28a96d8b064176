package dev.vectorgrad.engine;

import java.util.Arrays;

/**
 * Shape arithmetic shared by every op: element counts, strides, NumPy broadcasting, axis checks, and
 * the one formatter that error messages use for shapes.
 *
 * <pre>{@code
 * int[] s = Shape.broadcast("add", new int[] {2, 1, 4}, new int[] {3, 1});   // [2, 3, 4]
 * String text = Shape.format(s);                                           // "[2, 3, 4]"
 * }</pre>
 */
public final class Shape {

    private Shape() {
    }

    /** {@code [2, 3]}: how every message prints a shape. */
    public static String format(int[] shape) {
        return Arrays.toString(shape);
    }

    /** The number of elements; throws for a negative dimension, naming {@code op}. */
    public static int numel(String op, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + format(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": shape " + format(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous array of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** The NumPy broadcast of two shapes: aligned at the right, a dimension of 1 stretches. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": cannot broadcast " + format(a) + " with " + format(b)
                        + " (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** An axis in {@code [-rank, rank)} as an index in {@code [0, rank)}. */
    public static int axis(String op, int axis, int[] shape) {
        int rank = shape.length;
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + format(shape)
                    + " (rank " + rank + ")");
        }
        return axis < 0 ? axis + rank : axis;
    }

    /** Which axes are named in {@code axes} (all of them when it is empty); repeated axes are an error. */
    public static boolean[] axesMask(String op, int[] axes, int[] shape) {
        boolean[] mask = new boolean[shape.length];
        if (axes.length == 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        for (int a : axes) {
            int ax = axis(op, a, shape);
            if (mask[ax]) {
                throw new IllegalArgumentException(op + ": axis " + a + " is repeated in " + Arrays.toString(axes)
                        + " for shape " + format(shape));
            }
            mask[ax] = true;
        }
        return mask;
    }
}
