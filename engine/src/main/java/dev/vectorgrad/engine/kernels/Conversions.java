package dev.vectorgrad.engine.kernels;

/** Copies between arrays of different element types (dtype promotion and {@code to(DType)}). */
public final class Conversions {

    private Conversions() {
    }

    /** {@code out[oi + k*os] = a[ai + k*as]} converted to the element type of {@code out}. */
    public static void convert(Object a, int ai, int as, Object out, int oi, int os, int n) {
        if (a instanceof float[] f && out instanceof double[] d) {
            for (int k = 0; k < n; k++) {
                d[oi + k * os] = f[ai + k * as];
            }
        } else if (a instanceof double[] d && out instanceof float[] f) {
            for (int k = 0; k < n; k++) {
                f[oi + k * os] = (float) d[ai + k * as];
            }
        } else {
            throw new IllegalArgumentException("convert: no conversion from " + a.getClass().getSimpleName()
                    + " to " + out.getClass().getSimpleName());
        }
    }
}
