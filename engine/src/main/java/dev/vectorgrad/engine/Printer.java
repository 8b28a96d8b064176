package dev.vectorgrad.engine;

/** NumPy-style text of an array: nested brackets, and only the first and last few entries of long axes. */
final class Printer {

    /** Arrays with more elements than this print abbreviated. */
    private static final int THRESHOLD = 1000;
    /** How many entries an abbreviated axis shows at each end. */
    private static final int EDGE = 3;

    private Printer() {
    }

    static String toString(NDArray x) {
        StringBuilder b = new StringBuilder("array(");
        boolean abbreviate = x.numel() > THRESHOLD;
        values(x, abbreviate, b, "array(".length());
        return b.append(", shape=").append(Shape.format(x.shape)).append(", dtype=").append(x.dtype).append(')')
                .toString();
    }

    private static void values(NDArray x, boolean abbreviate, StringBuilder b, int indent) {
        if (x.dim() == 0) {
            b.append(number(x.item(), x.dtype));
            return;
        }
        int size = x.size(0);
        boolean cut = abbreviate && size > 2 * EDGE;
        String separator = x.dim() == 1 ? ", " : ",\n".repeat(x.dim() - 1) + " ".repeat(indent + 1);
        b.append('[');
        for (int i = 0; i < size; i++) {
            if (cut && i == EDGE) {
                b.append("...").append(separator);
                i = size - EDGE;
            }
            values(x.select(0, i), abbreviate, b, indent + 1);
            if (i < size - 1) {
                b.append(separator);
            }
        }
        b.append(']');
    }

    private static String number(double v, DType dtype) {
        return dtype == DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
    }
}
