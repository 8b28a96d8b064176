package dev.vectorgrad.benchmarks;

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
 * sgemm on the shapes, plain and with a transposed operand (a view, never copied), at a given
 * thread count. A shape is {@code MxKxN}. {@link Report} gives GFLOPS (2MNK per product) and % of the FMA
 * peak measured by {@link FmaPeakBenchmark} in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatMulBenchmark {

    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "64x784x256"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private NDArray a;
    private NDArray b;
    private NDArray bTransposed;

    @Setup
    public void setup() {
        String[] d = shape.split("x");
        int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
        Generator g = new Generator(1);
        a = NDArray.randn(g, DType.FLOAT32, m, k);
        b = NDArray.randn(g, DType.FLOAT32, k, n);
        bTransposed = NDArray.randn(g, DType.FLOAT32, n, k).transpose(0, 1);
        Parallel.setThreads(threads);
    }

    @Benchmark
    public NDArray matmul() {
        return a.matmul(b);
    }

    @Benchmark
    public NDArray matmulTransposedB() {
        return a.matmul(bTransposed);
    }
}
