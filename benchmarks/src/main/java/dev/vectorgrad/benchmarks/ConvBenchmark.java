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
 * and the weight gradient, as PyTorch's convolution_backward computes them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvBenchmark {

    /** Not "shape": Report's quick profile overrides that parameter for the matmul suite. */
    @Param({"32x3x32x32to32", "32x32x16x16to64"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    private static final ConvParams SAME = ConvParams.of(1, 1);

    private NDArray x;
    private NDArray w;
    private NDArray gradOutput;

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

    @Setup
    public void setup() {
        int[] s = sizes(layer);
        Generator g = new Generator(1);
        x = NDArray.randn(g, DType.FLOAT32, s[0], s[1], s[2], s[3]);
        w = NDArray.randn(g, DType.FLOAT32, s[4], s[1], 3, 3);
        gradOutput = NDArray.randn(g, DType.FLOAT32, s[0], s[4], s[2], s[3]);
        Parallel.setThreads(threads);
    }

    @Benchmark
    public NDArray conv2dForward() {
        return x.conv2d(w, SAME);
    }

    @Benchmark
    public NDArray[] conv2dBackward() {
        return new NDArray[] {NDArray.conv2dInputGrad(x.shape(), w, gradOutput, SAME),
            NDArray.conv2dWeightGrad(x, w.shape(), gradOutput, SAME)};
    }
}
