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
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseBenchmark {

    @Param({"1048576", "16777216"})
    public int n;

    /** The engine's threads; the scalar loops run on one whatever it is. */
    @Param({"1", "2"})
    public int threads;

    private NDArray a;
    private NDArray b;
    private NDArray out;
    private float[] x;
    private float[] y;
    private float[] z;

    @Setup
    public void setup() {
        Generator g = new Generator(1);
        a = NDArray.randn(g, DType.FLOAT32, n);
        b = NDArray.randn(g, DType.FLOAT32, n);
        out = NDArray.zeros(DType.FLOAT32, n);
        x = a.toFloatArray();
        y = b.toFloatArray();
        z = new float[n];
        Parallel.setThreads(threads);
    }

    /** {@code out += b}: two streams in, one out, as {@code c = a + b} into an existing array. */
    @Benchmark
    public NDArray add() {
        return out.addInPlace(b);
    }

    @Benchmark
    public NDArray addAllocating() {
        return a.add(b);
    }

    @Benchmark
    public float[] addScalarLoop() {
        for (int i = 0; i < n; i++) {
            z[i] += y[i];
        }
        return z;
    }

    @Benchmark
    public float[] copyLoop() {
        System.arraycopy(x, 0, z, 0, n);
        return z;
    }

    @Benchmark
    public NDArray exp() {
        return a.exp();
    }

    @Benchmark
    public float[] expScalarLoop() {
        for (int i = 0; i < n; i++) {
            z[i] = (float) Math.exp(x[i]);
        }
        return z;
    }

    @Benchmark
    public NDArray tanh() {
        return a.tanh();
    }

    @Benchmark
    public float[] tanhScalarLoop() {
        for (int i = 0; i < n; i++) {
            z[i] = (float) Math.tanh(x[i]);
        }
        return z;
    }

    @Benchmark
    public NDArray erf() {
        return a.erf();
    }

    /**
     * The formula a Java programmer reaches for without an erf in {@code Math}: Abramowitz and Stegun
     * 7.1.26, five terms and an exp, accurate to 1.5e-7 in absolute terms only.
     */
    @Benchmark
    public float[] erfScalarLoop() {
        for (int i = 0; i < n; i++) {
            z[i] = (float) erfAbramowitzStegun(x[i]);
        }
        return z;
    }

    private static double erfAbramowitzStegun(double v) {
        double t = 1 / (1 + 0.3275911 * Math.abs(v));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return Math.copySign(1 - poly * Math.exp(-v * v), v);
    }

    @Benchmark
    public NDArray gelu() {
        return a.gelu();
    }

    @Benchmark
    public float[] geluScalarLoop() {
        for (int i = 0; i < n; i++) {
            z[i] = (float) (0.5 * x[i] * (1 + erfAbramowitzStegun(x[i] * 0.7071067811865476)));
        }
        return z;
    }

    @Benchmark
    public NDArray geluTanh() {
        return a.gelu("tanh");
    }

    @Benchmark
    public float[] geluTanhScalarLoop() {
        for (int i = 0; i < n; i++) {
            float v = x[i];
            z[i] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
        }
        return z;
    }

    /** Rows of {@link #ROW} elements: a classifier's logits at a large vocabulary. */
    static final int ROW = 1024;

    /** Softmax along rows of {@link #ROW} into a new array (max, exp of the differences, sum, divide). */
    @Benchmark
    public NDArray softmax() {
        return a.reshape(n / ROW, ROW).softmax(1);
    }

    @Benchmark
    public float[] softmaxScalarLoop() {
        for (int r = 0; r < n; r += ROW) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = r; i < r + ROW; i++) {
                max = Math.max(max, x[i]);
            }
            float sum = 0;
            for (int i = r; i < r + ROW; i++) {
                z[i] = (float) Math.exp(x[i] - max);
                sum += z[i];
            }
            for (int i = r; i < r + ROW; i++) {
                z[i] /= sum;
            }
        }
        return z;
    }

    @Benchmark
    public double sum() {
        return a.sum().item();
    }

    @Benchmark
    public float sumScalarLoop() {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += x[i];
        }
        return s;
    }

    /** The sum of each row of {@link #ROW}, kept as a column (softmax's denominator). */
    @Benchmark
    public NDArray sumRows() {
        return a.reshape(n / ROW, ROW).sum(new int[] {1}, true);
    }

    @Benchmark
    public float[] sumRowsScalarLoop() {
        float[] sums = new float[n / ROW];
        for (int r = 0; r < n / ROW; r++) {
            float s = 0;
            for (int i = r * ROW; i < (r + 1) * ROW; i++) {
                s += x[i];
            }
            sums[r] = s;
        }
        return sums;
    }

    /** The max of each row of {@link #ROW}, kept as a column (softmax's shift). */
    @Benchmark
    public NDArray maxRows() {
        return a.reshape(n / ROW, ROW).max(new int[] {1}, true);
    }

    @Benchmark
    public float[] maxRowsScalarLoop() {
        float[] maxes = new float[n / ROW];
        for (int r = 0; r < n / ROW; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int i = r * ROW; i < (r + 1) * ROW; i++) {
                m = Math.max(m, x[i]);
            }
            maxes[r] = m;
        }
        return maxes;
    }
}
