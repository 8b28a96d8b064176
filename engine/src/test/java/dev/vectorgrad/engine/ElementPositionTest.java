package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vectorgrad.engine.kernels.DoubleKernels;
import dev.vectorgrad.engine.kernels.FloatKernels;
import dev.vectorgrad.engine.kernels.Kernels;
import dev.vectorgrad.engine.kernels.UnaryOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An element's result does not depend on where it stands: in the vector body, in the tail, alone, at any
 * offset, or in a strided run, every unary operator gives it the same bits.
 */
class ElementPositionTest {

    @Test
    void sameBitsInTheBodyTheTailAndStridedRuns() {
        double[] x = DeterminismProbe.input();
        int n = x.length;
        for (Kernels k : List.of(FloatKernels.INSTANCE, DoubleKernels.INSTANCE)) {
            Object a = k.allocate(n), spread = k.allocate(3 * n);
            for (int i = 0; i < n; i++) {
                k.set(a, i, x[i]);
                k.set(spread, 3 * i, x[i]);
            }
            for (UnaryOp op : UnaryOp.values()) {
                Object body = k.allocate(n);
                k.unary(op, a, 0, 1, body, 0, 1, n);
                Object one = k.allocate(1);
                for (int i = 0; i < n; i++) {
                    k.unary(op, a, i, 1, one, 0, 1, 1);
                    assertSameBits(k, body, i, one, 0, op + " of element " + i + " alone");
                }
                for (int start = 1; start <= 17; start++) {
                    Object shifted = k.allocate(n - start);
                    k.unary(op, a, start, 1, shifted, 0, 1, n - start);
                    for (int i = start; i < n; i++) {
                        assertSameBits(k, body, i, shifted, i - start, op + " of element " + i + " in a run from " + start);
                    }
                }
                Object stridedOut = k.allocate(2 * n);
                k.unary(op, spread, 0, 3, stridedOut, 0, 2, n);
                for (int i = 0; i < n; i++) {
                    assertSameBits(k, body, i, stridedOut, 2 * i, op + " of element " + i + " in a strided run");
                }
            }
        }
    }

    /** The same bits, every NaN taken as one (IEEE 754 leaves a NaN's sign and payload to the hardware). */
    private static void assertSameBits(Kernels k, Object expected, int i, Object actual, int j, String what) {
        assertEquals(Double.doubleToLongBits(k.get(expected, i)), Double.doubleToLongBits(k.get(actual, j)),
                k.getClass().getSimpleName() + " " + what);
    }
}
