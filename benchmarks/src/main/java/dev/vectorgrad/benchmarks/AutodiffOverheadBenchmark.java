package dev.vectorgrad.benchmarks;

import dev.vectorgrad.autodiff.Autograd;
import dev.vectorgrad.autodiff.Scope;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bookkeeping autodiff adds per op, on 4x4 tensors where the arithmetic is negligible: an op that
 * records a node against the same op on bare NDArrays, and a whole forward-backward of four ops. And what
 * anomaly mode costs: a training step of the MLP 64-128-10 (TrainingStepBenchmark's, one thread) with and
 * without it.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AutodiffOverheadBenchmark {

    private NDArray a;
    private NDArray b;
    private Tensor x;
    private Tensor w;
    private final TrainingStepBenchmark mlp = new TrainingStepBenchmark();

    @Setup
    public void setup() {
        mlp.model = "mlp64";
        mlp.threads = 1;
        mlp.setup();
        Generator g = new Generator(1);
        a = NDArray.randn(g, DType.FLOAT32, 4, 4);
        b = NDArray.randn(g, DType.FLOAT32, 4, 4);
        x = Tensor.of(a);
        w = Tensor.of(b).requiresGrad(true);
    }

    @Benchmark
    public NDArray mulArray() {
        return a.mul(b);
    }

    @Benchmark
    public Tensor mulRecorded() {
        return x.mul(w);
    }

    /** Four recorded ops (mul, tanh, sum, and the seed) and the backward through them. */
    @Benchmark
    public Tensor forwardBackward4() {
        x.mul(w).tanh().add(x).sum().backward();
        Tensor grad = w.grad();
        w.zeroGrad();
        return grad;
    }

    @Benchmark
    public double mlpStep() {
        return mlp.step();
    }

    @Benchmark
    public double mlpStepWithAnomaly() {
        try (Scope ignored = Autograd.detectAnomaly()) {
            return mlp.step();
        }
    }
}
