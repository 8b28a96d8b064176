package dev.vectorgrad.benchmarks;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.Optimizer;
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
 * One training step (forward, cross-entropy, zeroGrad, backward, Adam step) of an MLP at batch 64, the
 * workload PyTorch's eager mode is compared on in benchmarks/peers.py.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TrainingStepBenchmark {

    @Param({"64-128-10", "784-256-10"})
    public String mlp;

    @Param({"1", "2"})
    public int threads;

    private Sequential net;
    private Optimizer opt;
    private final Loss loss = new CrossEntropyLoss();
    private Tensor x;
    private Tensor y;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        int[] sizes = java.util.Arrays.stream(mlp.split("-")).mapToInt(Integer::parseInt).toArray();
        Generator g = new Generator(1);
        net = new Sequential(new Linear(sizes[0], sizes[1], g), new ReLU(), new Linear(sizes[1], sizes[2], g));
        opt = new Adam(net.parameters(), 1e-3);
        x = Tensor.of(NDArray.randn(g, DType.FLOAT32, 64, sizes[0]));
        double[] labels = new double[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % sizes[2];
        }
        y = Tensor.of(NDArray.of(labels, 64).to(DType.FLOAT32));
    }

    @Benchmark
    public double step() {
        Tensor l = loss.forward(net.forward(x), y);
        opt.zeroGrad();
        l.backward();
        opt.step();
        return l.item();
    }
}
