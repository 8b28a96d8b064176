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
 * Elementwise kernels and reductions on FLOAT32, each beside the plain scalar loop a Java programmer would
 * write (for erf, which Math lacks, the classic five-term formula) and, for add, beside the copy loop
 * that bounds any streaming kernel. {@link Report} turns the
 * times into GB/s (bytes read plus bytes written).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseBenchmark {

    /** The engine's operands, at a given thread count. */
    @State(Scope.Thread)
    public static class Operands {

        @Param({"1048576", "16777216"})
        public int n;

        @Param({"1", "2"})
        public int threads;

        private NDArray a;
        private NDArray b;
        private NDArray out;

        @Setup
        public void setup() {
            Generator g = new Generator(1);
            a = NDArray.randn(g, DType.FLOAT32, n);
            b = NDArray.randn(g, DType.FLOAT32, n);
            out = NDArray.zeros(DType.FLOAT32, n);
            Parallel.setThreads(threads);
        }
    }

    /** The same values as arrays for the scalar loops, which run on one thread. */
    @State(Scope.Thread)
    public static class Floats {

        @Param({"1048576", "16777216"})
        public int n;

        private float[] x;
        private float[] y;
        private float[] z;

        @Setup
        public void setup() {
            Generator g = new Generator(1);
            x = NDArray.randn(g, DType.FLOAT32, n).toFloatArray();
            y = NDArray.randn(g, DType.FLOAT32, n).toFloatArray();
            z = new float[n];
        }
    }

    /** {@code out += b}: two streams in, one out, as {@code c = a + b} into an existing array. */
    @Benchmark
    public NDArray add(Operands s) {
        return s.out.addInPlace(s.b);
    }

    @Benchmark
    public NDArray addAllocating(Operands s) {
        return s.a.add(s.b);
    }

    @Benchmark
    public float[] addScalarLoop(Floats f) {
        for (int i = 0; i < f.n; i++) {
            f.z[i] += f.y[i];
        }
        return f.z;
    }

    @Benchmark
    public float[] copyLoop(Floats f) {
        System.arraycopy(f.x, 0, f.z, 0, f.n);
        return f.z;
    }

    @Benchmark
    public NDArray exp(Operands s) {
        return s.a.exp();
    }

    @Benchmark
    public float[] expScalarLoop(Floats f) {
        for (int i = 0; i < f.n; i++) {
            f.z[i] = (float) Math.exp(f.x[i]);
        }
        return f.z;
    }

    @Benchmark
    public NDArray tanh(Operands s) {
        return s.a.tanh();
    }

    @Benchmark
    public float[] tanhScalarLoop(Floats f) {
        for (int i = 0; i < f.n; i++) {
            f.z[i] = (float) Math.tanh(f.x[i]);
        }
        return f.z;
    }

    @Benchmark
    public NDArray erf(Operands s) {
        return s.a.erf();
    }

    /**
     * The formula a Java programmer reaches for without an erf in {@code Math}: Abramowitz and Stegun
     * 7.1.26, five terms and an exp, accurate to 1.5e-7 in absolute terms only.
     */
    @Benchmark
    public float[] erfScalarLoop(Floats f) {
        for (int i = 0; i < f.n; i++) {
            f.z[i] = (float) erfAbramowitzStegun(f.x[i]);
        }
        return f.z;
    }

    private static double erfAbramowitzStegun(double v) {
        double t = 1 / (1 + 0.3275911 * Math.abs(v));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return Math.copySign(1 - poly * Math.exp(-v * v), v);
    }

    @Benchmark
    public NDArray gelu(Operands s) {
        return s.a.gelu();
    }

    @Benchmark
    public float[] geluScalarLoop(Floats f) {
        for (int i = 0; i < f.n; i++) {
            f.z[i] = (float) (0.5 * f.x[i] * (1 + erfAbramowitzStegun(f.x[i] * 0.7071067811865476)));
        }
        return f.z;
    }

    @Benchmark
    public NDArray geluTanh(Operands s) {
        return s.a.gelu("tanh");
    }

    @Benchmark
    public float[] geluTanhScalarLoop(Floats f) {
        for (int i = 0; i < f.n; i++) {
            float v = f.x[i];
            f.z[i] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
        }
        return f.z;
    }

    /** Rows of {@link #ROW} elements: a classifier's logits at a large vocabulary. */
    static final int ROW = 1024;

    /** Softmax along rows of {@link #ROW} into a new array (max, exp of the differences, sum, divide). */
    @Benchmark
    public NDArray softmax(Operands s) {
        return s.a.reshape(s.n / ROW, ROW).softmax(1);
    }

    @Benchmark
    public float[] softmaxScalarLoop(Floats f) {
        for (int r = 0; r < f.n; r += ROW) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = r; i < r + ROW; i++) {
                max = Math.max(max, f.x[i]);
            }
            float sum = 0;
            for (int i = r; i < r + ROW; i++) {
                f.z[i] = (float) Math.exp(f.x[i] - max);
                sum += f.z[i];
            }
            for (int i = r; i < r + ROW; i++) {
                f.z[i] /= sum;
            }
        }
        return f.z;
    }

    @Benchmark
    public double sum(Operands s) {
        return s.a.sum().item();
    }

    @Benchmark
    public float sumScalarLoop(Floats f) {
        float s = 0;
        for (int i = 0; i < f.n; i++) {
            s += f.x[i];
        }
        return s;
    }

    /** The sum of each row of {@link #ROW}, kept as a column (softmax's denominator). */
    @Benchmark
    public NDArray sumRows(Operands s) {
        return s.a.reshape(s.n / ROW, ROW).sum(new int[] {1}, true);
    }

    @Benchmark
    public float[] sumRowsScalarLoop(Floats f) {
        float[] sums = new float[f.n / ROW];
        for (int r = 0; r < f.n / ROW; r++) {
            float s = 0;
            for (int i = r * ROW; i < (r + 1) * ROW; i++) {
                s += f.x[i];
            }
            sums[r] = s;
        }
        return sums;
    }

    /** The max of each row of {@link #ROW}, kept as a column (softmax's shift). */
    @Benchmark
    public NDArray maxRows(Operands s) {
        return s.a.reshape(s.n / ROW, ROW).max(new int[] {1}, true);
    }

    @Benchmark
    public float[] maxRowsScalarLoop(Floats f) {
        float[] maxes = new float[f.n / ROW];
        for (int r = 0; r < f.n / ROW; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int i = r * ROW; i < (r + 1) * ROW; i++) {
                m = Math.max(m, f.x[i]);
            }
            maxes[r] = m;
        }
        return maxes;
    }
}
