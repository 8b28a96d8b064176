package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.GradCheck;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.ConvParams;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.PoolParams;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The convolution and pooling layers and GELU: PyTorch's parameter names, shapes and initialisation
 * bounds, forward values against loops written from the definitions, and gradients in FLOAT64, for the
 * input by GradCheck and for the parameters by central differences on the parameters themselves (both
 * with GradCheck's tolerances, {@code 1e-5 + 1e-3 |numerical|}).
 */
class ConvLayerTest {

    private static final Generator G = new Generator(11);

    /** The definition: {@code y[n,o,i,j] = b[o] + sum w[o,c,ki,kj] x[n, group(o)*cg + c, i*s + ki*d - p, j*s + kj*d - p]}. */
    private static double[] convLoops(NDArray x, NDArray w, NDArray b, int[] s, int[] p, int[] d, int groups, int[] outShape) {
        double[] out = new double[outShape[0] * outShape[1] * outShape[2] * outShape[3]];
        int og = w.size(0) / groups, cg = w.size(1), k = 0;
        for (int n = 0; n < outShape[0]; n++) {
            for (int o = 0; o < outShape[1]; o++) {
                for (int i = 0; i < outShape[2]; i++) {
                    for (int j = 0; j < outShape[3]; j++, k++) {
                        double sum = b == null ? 0 : b.get(o);
                        for (int c = 0; c < cg; c++) {
                            for (int ki = 0; ki < w.size(2); ki++) {
                                for (int kj = 0; kj < w.size(3); kj++) {
                                    int ih = i * s[0] + ki * d[0] - p[0], iw = j * s[1] + kj * d[1] - p[1];
                                    if (ih >= 0 && ih < x.size(2) && iw >= 0 && iw < x.size(3)) {
                                        sum += w.get(o, c, ki, kj) * x.get(n, o / og * cg + c, ih, iw);
                                    }
                                }
                            }
                        }
                        out[k] = sum;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void conv2dHasPyTorchsParametersAndComputesTheDefinition() {
        Conv2d conv = new Conv2d(4, 6, new int[] {3, 2}, new ConvParams(2, 1, 1, 0, 1, 2, 2), true, DType.FLOAT64, G);
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
        assertArrayEquals(new int[] {6, 2, 3, 2}, conv.weight().shape());
        assertArrayEquals(new int[] {6}, conv.bias().shape());
        double bound = 1 / Math.sqrt(2 * 3 * 2);
        for (Tensor t : conv.parameters()) {
            double largest = t.value().abs().max().item();
            assertTrue(largest <= bound && largest > 0.8 * bound, "kaiming_uniform(a=sqrt 5) and the bias bound: " + largest);
        }
        Tensor x = Tensor.randn(G, DType.FLOAT64, 2, 4, 7, 6);
        Tensor y = conv.forward(x);
        int[] shape = {2, 6, 4, 4};
        assertArrayEquals(shape, y.shape());
        assertArrayEquals(convLoops(x.value(), conv.weight().value(), conv.bias().value(), new int[] {2, 1}, new int[] {1, 0},
                new int[] {1, 2}, 2, shape), y.value().toDoubleArray(), 1e-12);
        assertEquals("Conv2d(in=4, out=6, kernel=[3, 2], stride=[2, 1], padding=[1, 0], dilation=[1, 2], groups=2)", conv.describe());
        assertEquals("Conv2d(in=3, out=8, kernel=[3, 3], stride=[1, 1], padding=[1, 1])", new Conv2d(3, 8, 3, 1, 1, G).describe());
    }

    @Test
    void conv1dComputesTheDefinition() {
        Conv1d conv = new Conv1d(2, 3, 3, 2, 1, 2, 1, false, DType.FLOAT64, G);
        assertEquals(List.of("weight"), List.copyOf(conv.namedParameters().keySet()));
        assertArrayEquals(new int[] {3, 2, 3}, conv.weight().shape());
        Tensor x = Tensor.randn(G, DType.FLOAT64, 2, 2, 9);
        Tensor y = conv.forward(x);
        assertArrayEquals(new int[] {2, 3, 4}, y.shape());
        double[] expected = convLoops(x.value().unsqueeze(2), conv.weight().value().unsqueeze(2), null, new int[] {1, 2},
                new int[] {0, 1}, new int[] {1, 2}, 1, new int[] {2, 3, 1, 4});
        assertArrayEquals(expected, y.value().toDoubleArray(), 1e-12);
        assertEquals("Conv1d(in=2, out=3, kernel=3, stride=2, padding=1, dilation=2, bias=false)", conv.describe());
        assertEquals("Conv1d(in=8, out=16, kernel=5, stride=1)", new Conv1d(8, 16, 5, G).describe());
    }

    @Test
    void convLayersHaveTheRightGradientsForInputAndParameters() {
        Conv2d conv2 = new Conv2d(4, 2, new int[] {2, 3}, new ConvParams(1, 2, 1, 1, 2, 1, 2), true, DType.FLOAT64, G);
        Tensor x2 = Tensor.randn(G, DType.FLOAT64, 2, 4, 5, 6).requiresGrad(true);
        GradCheck.check(in -> conv2.forward(in[0]), x2);
        checkParameterGradients(conv2, x2);
        Conv1d conv1 = new Conv1d(2, 4, 3, 1, 1, 1, 2, true, DType.FLOAT64, G);
        Tensor x1 = Tensor.randn(G, DType.FLOAT64, 2, 2, 7).requiresGrad(true);
        GradCheck.check(in -> conv1.forward(in[0]), x1);
        checkParameterGradients(conv1, x1);
    }

    /**
     * Backward's gradient of {@code sum(seed * m(x))} for every parameter element against central
     * differences taken by moving that element in place.
     */
    static void checkParameterGradients(Module m, Tensor x) {
        Tensor seed = Tensor.randn(new Generator(5), DType.FLOAT64, m.forward(x).shape());
        m.zeroGrad();
        m.forward(x).mul(seed).sum().backward();
        double eps = 1e-6;
        m.namedParameters().forEach((name, p) -> {
            NDArray flat = p.value().reshape(-1);
            double[] analytic = p.grad().value().toDoubleArray();
            for (int k = 0; k < flat.numel(); k++) {
                NDArray element = flat.slice(0, k, k + 1);
                element.addInPlace(eps);
                double plus = m.forward(x).mul(seed).sum().item();
                element.addInPlace(-2 * eps);
                double minus = m.forward(x).mul(seed).sum().item();
                element.addInPlace(eps);
                double numerical = (plus - minus) / (2 * eps);
                assertEquals(numerical, analytic[k], 1e-5 + 1e-3 * Math.abs(numerical), name + " element " + k);
            }
        });
    }

    @Test
    void poolingLayersComputeTheirWindowsAndDifferentiate() {
        NDArray x = NDArray.arange(DType.FLOAT64, 0, 2 * 5 * 7, 1).reshape(1, 2, 5, 7).mul(NDArray.of(new double[] {1, -1}, 2).reshape(1, 2, 1, 1));
        MaxPool2d max = new MaxPool2d(2);
        // Channel 0 grows to the bottom right, so each 2x2 window's maximum is its bottom-right corner.
        assertArrayEquals(new double[] {8, 10, 12, 22, 24, 26}, max.forward(Tensor.of(x)).value().select(1, 0).flatten().toDoubleArray());
        assertArrayEquals(new double[] {-35, -37, -39, -49, -51, -53}, max.forward(Tensor.of(x)).value().select(1, 1).flatten().toDoubleArray());
        AvgPool2d avg = new AvgPool2d(PoolParams.of(3, 2, 1), false);
        // Output [0, 0] averages rows 0-1, columns 0-1 of the input (padding does not count): (0 + 1 + 7 + 8) / 4.
        assertEquals(4, avg.forward(Tensor.of(x)).value().get(0, 0, 0, 0), 1e-12);
        assertEquals((8 + 9 + 10 + 15 + 16 + 17 + 22 + 23 + 24) / 9.0, avg.forward(Tensor.of(x)).value().get(0, 0, 1, 1), 1e-12);
        assertEquals("MaxPool2d(kernel=[2, 2], stride=[2, 2])", max.describe());
        assertEquals("AvgPool2d(kernel=[3, 3], stride=[2, 2], padding=[1, 1], countIncludePad=false)", avg.describe());
        Tensor t = Tensor.randn(G, DType.FLOAT64, 2, 3, 5, 6).requiresGrad(true);
        GradCheck.check(in -> avg.forward(in[0]), t);
        GradCheck.check(in -> new AvgPool2d(2).forward(in[0]), t);
        GradCheck.check(in -> new MaxPool2d(new PoolParams(3, 2, 2, 1, 1, 0, 1, 2, true)).forward(in[0]), t);
    }

    /** PyTorch's windows: output i of n averages inputs floor(i*size/n) up to ceil((i+1)*size/n). */
    private static double[] adaptiveLoops(NDArray x, int outH, int outW) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3), k = 0;
        double[] out = new double[n * c * outH * outW];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++, k++) {
                        int h0 = i * h / outH, h1 = ((i + 1) * h + outH - 1) / outH;
                        int w0 = j * w / outW, w1 = ((j + 1) * w + outW - 1) / outW;
                        double sum = 0;
                        for (int a = h0; a < h1; a++) {
                            for (int bb = w0; bb < w1; bb++) {
                                sum += x.get(b, ch, a, bb);
                            }
                        }
                        out[k] = sum / ((h1 - h0) * (w1 - w0));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void adaptiveAveragePoolingUsesPyTorchsWindows() {
        NDArray x = NDArray.randn(G, DType.FLOAT64, 2, 3, 7, 5);
        for (int[] out : new int[][] {{3, 2}, {1, 1}, {7, 5}, {9, 4}, {2, 5}}) {
            assertArrayEquals(adaptiveLoops(x, out[0], out[1]),
                    new AdaptiveAvgPool2d(out[0], out[1]).forward(Tensor.of(x)).value().toDoubleArray(), 1e-12, out[0] + "x" + out[1]);
        }
        // F.adaptive_avg_pool2d(torch.arange(35.).reshape(1, 1, 5, 7), (3, 2)) in PyTorch 1.13
        NDArray a = NDArray.arange(DType.FLOAT32, 0, 35, 1).reshape(1, 1, 5, 7);
        assertArrayEquals(new float[] {5, 8, 15.5f, 18.5f, 26, 29}, new AdaptiveAvgPool2d(3, 2).forward(Tensor.of(a)).value().toFloatArray());
        assertEquals(DType.FLOAT32, new AdaptiveAvgPool2d(3, 2).forward(Tensor.of(a)).dtype());
        Tensor t = Tensor.randn(G, DType.FLOAT64, 1, 2, 5, 4).requiresGrad(true);
        GradCheck.check(in -> new AdaptiveAvgPool2d(3, 3).forward(in[0]), t);
        GradCheck.gradGradCheck(in -> new AdaptiveAvgPool2d(2, 3).forward(in[0]), t);
        assertEquals("AdaptiveAvgPool2d(out=[1, 1])", new AdaptiveAvgPool2d(1).describe());
    }

    @Test
    void geluIsExactByDefaultAndTanhOnRequest() {
        Tensor x = Tensor.of(new double[] {-3, -0.5, 0, 0.7, 2.5}, 5);
        double[] exact = new GELU().forward(x).value().toDoubleArray();
        double[] tanh = new GELU("tanh").forward(x).value().toDoubleArray();
        for (int i = 0; i < 5; i++) {
            double v = x.value().get(i);
            // erf(v / sqrt 2) from the engine's erf, checked elsewhere against 50 digits; the formula here is GELU's.
            double erf = NDArray.of(new double[] {v / Math.sqrt(2)}, 1).erf().item();
            assertEquals(v / 2 * (1 + erf), exact[i], 1e-15);
            assertEquals(v / 2 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), tanh[i], 1e-15);
        }
        assertEquals("GELU(approximate=none)", new GELU().describe());
        assertEquals("GELU(approximate=tanh)", new GELU("tanh").describe());
    }

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void misuseIsNamed() {
        assertAll(
                rejects("Conv2d: in channels 3 and out channels 4 must both be divisible by groups 2",
                        () -> new Conv2d(3, 4, new int[] {3, 3}, ConvParams.of(1, 0, 1, 2), true, DType.FLOAT32, G)),
                rejects("Conv2d: needs positive channels and a kernel {height, width}, got in 3, out 4, kernel [3]",
                        () -> new Conv2d(3, 4, new int[] {3}, ConvParams.DEFAULT, true, DType.FLOAT32, G)),
                rejects("Conv2d(in=3, out=4, kernel=[3, 3], stride=[1, 1]): input of shape [2, 4, 8, 8] is not [batch, 3, height, width]",
                        () -> new Conv2d(3, 4, 3, G).forward(Tensor.zeros(DType.FLOAT32, 2, 4, 8, 8))),
                rejects("Conv1d: in channels 4 and out channels 3 must both be divisible by groups 2",
                        () -> new Conv1d(4, 3, 3, 1, 0, 1, 2, true, DType.FLOAT32, G)),
                rejects("Conv1d(in=4, out=3, kernel=3, stride=1): input of shape [2, 4, 8, 8] is not [batch, 4, length]",
                        () -> new Conv1d(4, 3, 3, G).forward(Tensor.zeros(DType.FLOAT32, 2, 4, 8, 8))),
                rejects("AdaptiveAvgPool2d: output size must be positive, got 0", () -> new AdaptiveAvgPool2d(0, 2)),
                rejects("AdaptiveAvgPool2d(out=[2, 2]): input of shape [4, 4] is not [batch, channels, height, width]",
                        () -> new AdaptiveAvgPool2d(2).forward(Tensor.zeros(DType.FLOAT32, 4, 4))),
                rejects("GELU: approximate must be 'none' or 'tanh', got 'erf'", () -> new GELU("erf")),
                rejects("gelu: approximate must be 'none' or 'tanh', got 'Tanh'", () -> Tensor.zeros(DType.FLOAT32, 2).gelu("Tanh")));
    }
}
