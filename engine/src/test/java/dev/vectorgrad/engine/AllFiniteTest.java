package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** allFinite finds a single NaN or ±Inf wherever it stands: in the vector body, in the tail, in a strided view. */
class AllFiniteTest {

    @Test
    void aSingleNonFiniteElementAnywhereIsFound() {
        for (DType dtype : DType.values()) {
            for (int n : new int[] {0, 1, 7, 16, 17, 40, 100}) {
                NDArray x = NDArray.randn(new Generator(n), dtype, n);
                assertEquals(true, x.allFinite(), dtype + " n=" + n);
                for (int at = 0; at < n; at++) {
                    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                        NDArray y = x.copy();
                        y.slice(0, at, at + 1).fill(bad);
                        assertEquals(false, y.allFinite(), dtype + " n=" + n + ": " + bad + " at " + at);
                    }
                }
            }
            NDArray wide = NDArray.randn(new Generator(9), dtype, 5, 41);
            wide.slice(1, 40, 41).fill(Double.NaN);
            assertEquals(true, wide.slice(1, 0, 40, 2).allFinite(), "a strided view that skips the NaNs");
            assertEquals(false, wide.transpose(0, 1).allFinite(), "a transposed view that holds them");
        }
    }
}
