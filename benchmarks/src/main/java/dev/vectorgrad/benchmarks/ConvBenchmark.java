package dev.vectorgrad.benchmarks;

import dev.vectorgrad.engine.ConvParams;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * 3x3 convolutions with padding 1 on FLOAT32, a first layer (3 to 32 channels, 32x32) and a middle one
 * (32 to 64, 16x16), batch 32, at a given thread count. A layer is {@code NxCxHxWtoO}. {@link Report}
 * gives GFLOPS: {@code 2 N O C 9 H W} per forward pass, twice that per backward pass (the input gradient
 * and the weight gradient, as PyTorch's convolution_backward computes them), and the speed-up over the
 * direct seven-deep loops a Java programmer would write, on one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvBenchmark {

    private static final ConvParams SAME = ConvParams.of(1, 1);

    @State(Scope.Thread)
    public static class Layer {

        /** Not "shape": Report's quick profile overrides that parameter for the matmul suite. */
        @Param({"32x3x32x32to32", "32x32x16x16to64"})
        public String layer;

        @Param({"1", "2"})
        public int threads;

        private NDArray x;
        private NDArray w;
        private NDArray gradOutput;

        @Setup
        public void setup() {
            int[] s = sizes(layer);
            Generator g = new Generator(1);
            x = NDArray.randn(g, DType.FLOAT32, s[0], s[1], s[2], s[3]);
            w = NDArray.randn(g, DType.FLOAT32, s[4], s[1], 3, 3);
            gradOutput = NDArray.randn(g, DType.FLOAT32, s[0], s[4], s[2], s[3]);
            Parallel.setThreads(threads);
        }
    }

    /** The same tensors as float arrays for the scalar loops, which run on one thread. */
    @State(Scope.Thread)
    public static class ScalarLayer {

        @Param({"32x3x32x32to32", "32x32x16x16to64"})
        public String layer;

        private int[] s;
        private float[] x;
        private float[] w;
        private float[] gradOutput;

        @Setup
        public void setup() {
            Layer l = new Layer();
            l.layer = layer;
            l.threads = 1;
            l.setup();
            s = sizes(layer);
            x = l.x.toFloatArray();
            w = l.w.toFloatArray();
            gradOutput = l.gradOutput.toFloatArray();
        }
    }

    /** {@code [N, C, H, W, O]} of a layer string. */
    static int[] sizes(String layer) {
        String[] io = layer.split("to");
        String[] d = io[0].split("x");
        return new int[] {Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]), Integer.parseInt(d[3]),
            Integer.parseInt(io[1])};
    }

    /** Multiply-adds times two of one forward pass. */
    static double flops(String layer) {
        int[] s = sizes(layer);
        return 2.0 * s[0] * s[4] * s[1] * 9 * s[2] * s[3];
    }

    @Benchmark
    public NDArray conv2dForward(Layer l) {
        return l.x.conv2d(l.w, SAME);
    }

    @Benchmark
    public NDArray[] conv2dBackward(Layer l) {
        return new NDArray[] {NDArray.conv2dInputGrad(l.x.shape(), l.w, l.gradOutput, SAME),
            NDArray.conv2dWeightGrad(l.x, l.w.shape(), l.gradOutput, SAME)};
    }

    /** Each output a sum over the input channels and the 3x3 taps that fall inside the input. */
    @Benchmark
    public float[] conv2dForwardScalarLoop(ScalarLayer l) {
        int batch = l.s[0], c = l.s[1], h = l.s[2], wd = l.s[3], o = l.s[4];
        float[] x = l.x, w = l.w, out = new float[batch * o * h * wd];
        for (int n = 0; n < batch; n++) {
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < wd; xx++) {
                        float sum = 0;
                        for (int ic = 0; ic < c; ic++) {
                            for (int ky = 0; ky < 3; ky++) {
                                int iy = y + ky - 1;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int kx = 0; kx < 3; kx++) {
                                    int ix = xx + kx - 1;
                                    if (ix >= 0 && ix < wd) {
                                        sum += x[((n * c + ic) * h + iy) * wd + ix] * w[((oc * c + ic) * 3 + ky) * 3 + kx];
                                    }
                                }
                            }
                        }
                        out[((n * o + oc) * h + y) * wd + xx] = sum;
                    }
                }
            }
        }
        return out;
    }

    /** The same loops spreading each output's gradient over the input and the weight gradients. */
    @Benchmark
    public float[][] conv2dBackwardScalarLoop(ScalarLayer l) {
        int batch = l.s[0], c = l.s[1], h = l.s[2], wd = l.s[3], o = l.s[4];
        float[] x = l.x, w = l.w, gy = l.gradOutput, gx = new float[x.length], gw = new float[w.length];
        for (int n = 0; n < batch; n++) {
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < wd; xx++) {
                        float g = gy[((n * o + oc) * h + y) * wd + xx];
                        for (int ic = 0; ic < c; ic++) {
                            for (int ky = 0; ky < 3; ky++) {
                                int iy = y + ky - 1;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int kx = 0; kx < 3; kx++) {
                                    int ix = xx + kx - 1;
                                    if (ix >= 0 && ix < wd) {
                                        int xi = ((n * c + ic) * h + iy) * wd + ix, wi = ((oc * c + ic) * 3 + ky) * 3 + kx;
                                        gx[xi] += g * w[wi];
                                        gw[wi] += g * x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new float[][] {gx, gw};
    }
}
