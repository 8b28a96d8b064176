package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/** Element-by-element comparison of an engine result with the reference, naming the first bad element. */
final class Close {

    private Close() {
    }

    /** Requires the same shape and, element by element, {@code |actual - expected| <= atol + rtol * |expected|}. */
    static void assertClose(NDArray actual, Ref expected, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), () -> what + ": shape");
        double[] got = actual.toDoubleArray();
        for (int k = 0; k < got.length; k++) {
            double e = expected.data()[k], a = got[k];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : e == a || Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok) {
                fail(what + ": element " + Arrays.toString(Ref.unravel(k, expected.shape())) + " is " + a
                        + ", expected " + e + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }

    /** Bit-for-bit equality of shape and elements. */
    static void assertSame(NDArray actual, Ref expected, String what) {
        assertClose(actual, expected, 0, 0, what);
    }

    /** Relative tolerance of one correctly rounded operation, with a little slack, in {@code dtype}. */
    static double ulps(DType dtype, int n) {
        return n * (dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53);
    }
}
