package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CreationTest {

    @Test
    void rangesAndIdentity() {
        assertArrayEquals(new double[] {0, 1, 2, 3}, NDArray.arange(4).toDoubleArray());
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5}, NDArray.arange(DType.FLOAT64, 1, 3, 0.5).toDoubleArray());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, NDArray.linspace(DType.FLOAT32, 0, 1, 5).toDoubleArray());
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, NDArray.eye(DType.FLOAT64, 2, 3).toDoubleArray());
        assertArrayEquals(new double[] {7, 7}, NDArray.full(DType.FLOAT32, 7, 2).toDoubleArray());
        assertEquals(DType.FLOAT64, NDArray.of(new double[] {1}, 1).dtype());
        assertEquals(DType.FLOAT32, NDArray.of(new float[] {1}, 1).dtype());
    }

    @Test
    void sameSeedSameNumbersOnEveryMachine() {
        // Pinned values: the generator is SplitMix64 with StrictMath, so these hold on any JVM and CPU.
        double[] first = NDArray.randn(new Generator(42), DType.FLOAT64, 3).toDoubleArray();
        assertArrayEquals(first, NDArray.randn(new Generator(42), DType.FLOAT64, 3).toDoubleArray());
        assertArrayEquals(PINNED_RANDN_42, first, 0, Arrays.toString(first));
        assertTrue(!Arrays.equals(first, NDArray.randn(new Generator(43), DType.FLOAT64, 3).toDoubleArray()));
    }

    static final double[] PINNED_RANDN_42 = {0.8822489062222688, -0.4508498757188601, 0.1883526341159315};

    @Test
    void randomDrawsHaveTheirDistribution() {
        NDArray normal = NDArray.randn(new Generator(1), DType.FLOAT64, 100_000);
        assertEquals(0, normal.mean().item(), 0.02);
        assertEquals(1, normal.std().item(), 0.02);
        NDArray uniform = NDArray.uniform(new Generator(2), DType.FLOAT32, -2, 3, 100_000);
        assertTrue(uniform.min().item() >= -2 && uniform.max().item() < 3);
        assertEquals(0.5, uniform.mean().item(), 0.03);
    }

    @Test
    void toStringNamesShapeAndDtypeAndAbbreviates() {
        assertEquals("array([[0.0, 1.0, 2.0],\n       [3.0, 4.0, 5.0]], shape=[2, 3], dtype=FLOAT32)",
                NDArray.arange(6).reshape(2, 3).toString());
        String big = NDArray.zeros(1001).toString();
        assertTrue(big.contains("...") && big.length() < 200, big);
    }
}
