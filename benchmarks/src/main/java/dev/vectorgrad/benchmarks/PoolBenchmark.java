package dev.vectorgrad.benchmarks;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.engine.PoolParams;
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
 * 2x2 max and average pooling (stride 2) of a [32, 64, 32, 32] FLOAT32 activation, and the gradient of max
 * pooling, at a given thread count. {@link Report} gives GB/s: the input read and the output written
 * (values, plus indices for max pooling), or for the gradient the gradient and indices read and the input
 * gradient written.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolBenchmark {

    /** Elements of the input; the output has a quarter. */
    static final int N = 32 * 64 * 32 * 32;

    @Param({"1", "2"})
    public int threads;

    private static final PoolParams HALVE = PoolParams.of(2);

    private NDArray x;
    private NDArray gradOutput;
    private NDArray indices;

    @Setup
    public void setup() {
        Generator g = new Generator(1);
        x = NDArray.randn(g, DType.FLOAT32, 32, 64, 32, 32);
        indices = x.maxPool2dWithIndices(HALVE)[1];
        gradOutput = NDArray.randn(g, DType.FLOAT32, indices.shape());
        Parallel.setThreads(threads);
    }

    @Benchmark
    public NDArray[] maxPool2d() {
        return x.maxPool2dWithIndices(HALVE);
    }

    @Benchmark
    public NDArray maxPool2dBackward() {
        return NDArray.maxPool2dBackward(gradOutput, indices, x.shape());
    }

    @Benchmark
    public NDArray avgPool2d() {
        return x.avgPool2d(HALVE, true);
    }

    /** Bytes each benchmark moves: FLOAT32 input, output a quarter of it, indices as large as the output. */
    static double bytes(String op) {
        return switch (op) {
            case "maxPool2d" -> 4.0 * N + 8.0 * N / 4;
            case "maxPool2dBackward" -> 8.0 * N / 4 + 4.0 * N;
            default -> 4.0 * N + 4.0 * N / 4;
        };
    }
}
