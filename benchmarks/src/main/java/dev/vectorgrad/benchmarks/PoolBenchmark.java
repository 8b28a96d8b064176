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
 * gradient written. Each beside the scalar loop a Java programmer would write, on one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolBenchmark {

    /** Elements of the input; the output has a quarter. */
    static final int N = 32 * 64 * 32 * 32;

    /** Planes of the input and their side. */
    private static final int PLANES = 32 * 64;
    private static final int SIDE = 32;

    private static final PoolParams HALVE = PoolParams.of(2);

    @State(Scope.Thread)
    public static class Activation {

        @Param({"1", "2"})
        public int threads;

        private NDArray x;
        private NDArray gradOutput;
        private NDArray indices;

        @Setup
        public void setup() {
            Generator g = new Generator(1);
            x = NDArray.randn(g, DType.FLOAT32, 32, 64, SIDE, SIDE);
            indices = x.maxPool2dWithIndices(HALVE)[1];
            gradOutput = NDArray.randn(g, DType.FLOAT32, indices.shape());
            Parallel.setThreads(threads);
        }
    }

    /** The same tensors as arrays for the scalar loops, the indices as {@code int[]}. */
    @State(Scope.Thread)
    public static class ScalarActivation {

        private float[] x;
        private float[] gradOutput;
        private int[] indices;

        @Setup
        public void setup() {
            Activation a = new Activation();
            a.threads = 1;
            a.setup();
            x = a.x.toFloatArray();
            gradOutput = a.gradOutput.toFloatArray();
            float[] at = a.indices.toFloatArray();
            indices = new int[at.length];
            for (int i = 0; i < at.length; i++) {
                indices[i] = (int) at[i];
            }
        }
    }

    @Benchmark
    public NDArray[] maxPool2d(Activation a) {
        return a.x.maxPool2dWithIndices(HALVE);
    }

    @Benchmark
    public NDArray maxPool2dBackward(Activation a) {
        return NDArray.maxPool2dBackward(a.gradOutput, a.indices, a.x.shape());
    }

    @Benchmark
    public NDArray avgPool2d(Activation a) {
        return a.x.avgPool2d(HALVE, true);
    }

    /** Each output the first largest of its four inputs, with that input's position in the plane. */
    @Benchmark
    public Object[] maxPool2dScalarLoop(ScalarActivation a) {
        int half = SIDE / 2;
        float[] x = a.x, out = new float[N / 4];
        int[] indices = new int[N / 4];
        for (int q = 0; q < PLANES; q++) {
            for (int oh = 0; oh < half; oh++) {
                for (int ow = 0; ow < half; ow++) {
                    int o = (q * half + oh) * half + ow, best = 2 * oh * SIDE + 2 * ow;
                    for (int kh = 0; kh < 2; kh++) {
                        for (int kw = 0; kw < 2; kw++) {
                            int at = (2 * oh + kh) * SIDE + 2 * ow + kw;
                            if (x[q * SIDE * SIDE + at] > x[q * SIDE * SIDE + best]) {
                                best = at;
                            }
                        }
                    }
                    out[o] = x[q * SIDE * SIDE + best];
                    indices[o] = best;
                }
            }
        }
        return new Object[] {out, indices};
    }

    @Benchmark
    public float[] maxPool2dBackwardScalarLoop(ScalarActivation a) {
        float[] gradIn = new float[N];
        int outPlane = N / 4 / PLANES;
        for (int k = 0; k < N / 4; k++) {
            gradIn[k / outPlane * SIDE * SIDE + a.indices[k]] += a.gradOutput[k];
        }
        return gradIn;
    }

    @Benchmark
    public float[] avgPool2dScalarLoop(ScalarActivation a) {
        int half = SIDE / 2;
        float[] x = a.x, out = new float[N / 4];
        for (int q = 0; q < PLANES; q++) {
            for (int oh = 0; oh < half; oh++) {
                for (int ow = 0; ow < half; ow++) {
                    int at = q * SIDE * SIDE + 2 * oh * SIDE + 2 * ow;
                    out[(q * half + oh) * half + ow] = (x[at] + x[at + 1] + x[at + SIDE] + x[at + SIDE + 1]) / 4;
                }
            }
        }
        return out;
    }

    /** Bytes each benchmark moves: FLOAT32 input, output a quarter of it, indices as large as the output. */
    static double bytes(String op) {
        return switch (op.replace("ScalarLoop", "")) {
            case "maxPool2d" -> 4.0 * N + 8.0 * N / 4;
            case "maxPool2dBackward" -> 8.0 * N / 4 + 4.0 * N;
            default -> 4.0 * N + 4.0 * N / 4;
        };
    }
}
