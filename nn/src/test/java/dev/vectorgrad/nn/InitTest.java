package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import org.junit.jupiter.api.Test;

/**
 * Init against PyTorch's gains and fans, and its distributions by their bounds and moments. Sample sizes
 * are 60,000 draws: the standard error of a mean is below 0.5% of the standard deviation, that of a
 * standard deviation about 0.3%, so 2% tolerances are over 4 standard errors.
 */
class InitTest {

    private final Generator g = new Generator(17);

    private static Tensor empty(DType dtype, int... shape) {
        return Tensor.zeros(dtype, shape).requiresGrad(true);
    }

    @Test
    void gainsAndFansAreThoseOfPyTorch() {
        // torch.nn.init.calculate_gain(name, param) and _calculate_fan_in_and_fan_out(torch.empty(8, 3, 5, 5)) in PyTorch 1.13.
        assertEquals(1, Init.calculateGain("linear"));
        assertEquals(1, Init.calculateGain("conv2d"));
        assertEquals(1, Init.calculateGain("sigmoid"));
        assertEquals(1.6666666666666667, Init.calculateGain("tanh"), 1e-15);
        assertEquals(1.4142135623730951, Init.calculateGain("relu"), 1e-15);
        assertEquals(1.4141428569978354, Init.calculateGain("leaky_relu"), 1e-15);
        assertEquals(1.3867504905630728, Init.calculateGain("leaky_relu", 0.2), 1e-15);
        assertEquals(0.75, Init.calculateGain("selu"));
        assertEquals(new Init.Fans(75, 200), Init.fans(new int[] {8, 3, 5, 5}));
        assertEquals(new Init.Fans(784, 256), Init.fans(new int[] {256, 784}));
        assertEquals("calculateGain: unsupported nonlinearity \"softmax\"",
                assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("softmax")).getMessage());
        assertEquals("Init: fan in and fan out need a weight of at least 2 dimensions, got shape [5]",
                assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform(empty(DType.FLOAT32, 5), g)).getMessage());
    }

    /** Checks values lie within ±bound, reach near it, and have a uniform's standard deviation. */
    private static void assertUniform(Tensor t, double bound) {
        NDArray v = t.value();
        assertTrue(v.abs().max().item() <= bound && v.abs().max().item() > 0.99 * bound, "within and reaching ±" + bound);
        assertEquals(0, v.mean().item(), 0.02 * bound);
        assertEquals(bound / Math.sqrt(3), v.std().item(), 0.02 * bound / Math.sqrt(3));
    }

    private static void assertNormal(Tensor t, double mean, double std) {
        assertEquals(mean, t.value().mean().item(), 0.02 * std);
        assertEquals(std, t.value().std().item(), 0.02 * std);
    }

    @Test
    void xavierAndKaimingScaleByTheFans() {
        assertUniform(Init.xavierUniform(empty(DType.FLOAT32, 200, 300), 2, g), 2 * Math.sqrt(6.0 / 500));
        assertNormal(Init.xavierNormal(empty(DType.FLOAT64, 200, 300), 0.5, g), 0, 0.5 * Math.sqrt(2.0 / 500));
        assertUniform(Init.kaimingUniform(empty(DType.FLOAT32, 300, 200), g), Math.sqrt(2) * Math.sqrt(3.0 / 200));
        assertUniform(Init.kaimingUniform(empty(DType.FLOAT32, 300, 200), Math.sqrt(5), Init.Mode.FAN_IN, "leaky_relu", g),
                1 / Math.sqrt(200));
        assertUniform(Init.kaimingUniform(empty(DType.FLOAT32, 60, 10, 10, 10), 0, Init.Mode.FAN_OUT, "relu", g),
                Math.sqrt(2) * Math.sqrt(3.0 / 6000));
        assertNormal(Init.kaimingNormal(empty(DType.FLOAT64, 300, 200), 0, Init.Mode.FAN_OUT, "tanh", g), 0, 5.0 / 3 / Math.sqrt(300));
        assertNormal(Init.kaimingNormal(empty(DType.FLOAT32, 300, 200), g), 0, Math.sqrt(2.0 / 200));
    }

    @Test
    void constantsUniformAndNormalWriteInPlaceInTheTensorsDtype() {
        Tensor t = empty(DType.FLOAT32, 300, 200);
        NDArray storage = t.value();
        assertUniform(Init.uniform(t, -3, 3, g), 3);
        assertEquals(DType.FLOAT32, t.dtype());
        assertTrue(storage == t.value() && t.isLeaf() && t.requiresGrad());
        assertNormal(Init.normal(t, 2, 0.5, g), 2, 0.5);
        assertEquals(0, Init.zeros(t).value().abs().max().item());
        assertEquals(300 * 200, Init.ones(t).value().sum().item());
        assertEquals(-1.5, Init.constant(t, -1.5).value().max().item());
    }

    /** {@code w a / gain} is upper triangular with a positive diagonal: w is the sign-corrected Q of a QR of a. */
    private static void assertQFromQrOf(NDArray w, NDArray a, double gain) {
        NDArray r = w.matmul(a).div(gain);
        for (int i = 0; i < r.size(0); i++) {
            assertTrue(r.get(i, i) > 0, "positive diagonal: signs corrected");
            for (int j = 0; j < i; j++) {
                assertEquals(0, r.get(i, j), 1e-10, "upper triangular");
            }
        }
    }

    @Test
    void orthogonalIsTheSignCorrectedQOfANormalMatrix() {
        for (int[] shape : new int[][] {{5, 5}, {7, 3}, {3, 7}, {4, 2, 3}}) {
            double gain = 1.5;
            Tensor w = Init.orthogonal(empty(DType.FLOAT64, shape), gain, new Generator(9));
            int rows = shape[0], cols = w.numel() / rows;
            NDArray m = w.value().reshape(rows, cols);
            NDArray gram = rows <= cols ? m.matmul(m.transpose(0, 1)) : m.transpose(0, 1).matmul(m);
            assertTrue(gram.allClose(NDArray.eye(DType.FLOAT64, Math.min(rows, cols)).mul(gain * gain), 0, 1e-12), shape.length + "-D");
            NDArray normal = NDArray.randn(new Generator(9), DType.FLOAT64, rows, cols);
            if (rows < cols) {
                assertQFromQrOf(m, normal.transpose(0, 1), gain);
            } else {
                assertQFromQrOf(m.transpose(0, 1), normal, gain);
            }
        }
        Tensor single = Init.orthogonal(empty(DType.FLOAT32, 4, 4), new Generator(9));
        assertArrayEquals(Init.orthogonal(empty(DType.FLOAT32, 4, 4), new Generator(9)).value().toFloatArray(),
                single.value().toFloatArray(), 0, "same seed, same matrix");
        assertEquals("Init.orthogonal: needs a tensor of at least 2 dimensions, got shape [4]",
                assertThrows(IllegalArgumentException.class, () -> Init.orthogonal(empty(DType.FLOAT32, 4), g)).getMessage());
    }
}
