package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** addmm is the product plus the broadcast input, for every broadcast form of the input, both dtypes. */
class AddmmTest {

    @Test
    void theProductAccumulatesOntoTheBroadcastInput() {
        Generator g = new Generator(3);
        for (DType dtype : DType.values()) {
            NDArray a = NDArray.randn(g, dtype, 7, 13), b = NDArray.randn(g, dtype, 13, 33).transpose(0, 1).contiguous()
                    .transpose(0, 1);
            for (int[] inputShape : new int[][] {{33}, {7, 33}, {7, 1}, {}}) {
                NDArray input = NDArray.randn(g, dtype, inputShape);
                NDArray expected = a.matmul(b).add(input);
                NDArray got = NDArray.addmm(input, a, b);
                double tolerance = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
                assertTrue(got.allClose(expected, tolerance, tolerance), dtype + " input " + Shape.format(inputShape));
                assertEquals(dtype, got.dtype());
            }
        }
    }

    @Test
    void misuseNamesTheOpAndTheShapes() {
        NDArray a = NDArray.zeros(2, 3), b = NDArray.zeros(3, 4);
        assertEquals("addmm: cannot multiply [2, 3] by [2, 3] (needs two matrices with equal inner dimensions)",
                assertThrows(IllegalArgumentException.class, () -> NDArray.addmm(NDArray.zeros(4), a, a)).getMessage());
        assertEquals("addmm: cannot broadcast [3] with [2, 4] (dimension 1: 3 vs 4)",
                assertThrows(IllegalArgumentException.class, () -> NDArray.addmm(NDArray.zeros(3), a, b)).getMessage());
        assertEquals("addmm: input of shape [5, 1, 4] does not broadcast to the product's shape [2, 4]",
                assertThrows(IllegalArgumentException.class, () -> NDArray.addmm(NDArray.zeros(5, 1, 4), a, b)).getMessage());
    }
}
