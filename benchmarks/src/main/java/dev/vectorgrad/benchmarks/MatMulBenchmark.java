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
 * thread count, and on the two smallest shapes the i-k-j triple loop a Java programmer would write. A shape
 * is {@code MxKxN}. {@link Report} gives GFLOPS (2MNK per product), % of the FMA peak measured by
 * {@link FmaPeakBenchmark} in the same run, and the speed-up over the triple loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatMulBenchmark {

    @State(Scope.Thread)
    public static class Product {

        @Param({"256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "64x784x256"})
        public String shape;

        @Param({"1", "2"})
        public int threads;

        private NDArray a;
        private NDArray b;
        private NDArray bTransposed;

        @Setup
        public void setup() {
            int[] d = sizes(shape);
            Generator g = new Generator(1);
            a = NDArray.randn(g, DType.FLOAT32, d[0], d[1]);
            b = NDArray.randn(g, DType.FLOAT32, d[1], d[2]);
            bTransposed = NDArray.randn(g, DType.FLOAT32, d[2], d[1]).transpose(0, 1);
            Parallel.setThreads(threads);
        }
    }

    /** The triple loop's operands, on the small shapes only: it takes about a second for 1024. */
    @State(Scope.Thread)
    public static class ScalarProduct {

        /** Not "shape": the quick profile overrides that parameter with the large products. */
        @Param({"256x256x256", "64x784x256"})
        public String smallShape;

        private int m;
        private int k;
        private int n;
        private float[] a;
        private float[] b;

        @Setup
        public void setup() {
            int[] d = sizes(smallShape);
            m = d[0];
            k = d[1];
            n = d[2];
            Generator g = new Generator(1);
            a = NDArray.randn(g, DType.FLOAT32, m, k).toFloatArray();
            b = NDArray.randn(g, DType.FLOAT32, k, n).toFloatArray();
        }
    }

    /** {@code [M, K, N]} of a shape string. */
    static int[] sizes(String shape) {
        String[] d = shape.split("x");
        return new int[] {Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2])};
    }

    @Benchmark
    public NDArray matmul(Product p) {
        return p.a.matmul(p.b);
    }

    @Benchmark
    public NDArray matmulTransposedB(Product p) {
        return p.a.matmul(p.bTransposed);
    }

    /** Row-major, into a new array as matmul returns one; the inner loop runs along rows of B and C. */
    @Benchmark
    public float[] matmulScalarLoop(ScalarProduct p) {
        int m = p.m, k = p.k, n = p.n;
        float[] a = p.a, b = p.b, c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < k; q++) {
                float aiq = a[i * k + q];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aiq * b[q * n + j];
                }
            }
        }
        return c;
    }
}
