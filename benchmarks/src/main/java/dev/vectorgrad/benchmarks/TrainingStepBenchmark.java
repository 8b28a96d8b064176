package dev.vectorgrad.benchmarks;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.LSTM;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.ModuleList;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One training step (forward, cross-entropy, zeroGrad, backward, Adam step) of the models PyTorch's eager
 * mode is compared on in benchmarks/peers.py, with the same shapes there:
 * <ul>
 * <li>{@code mlp64}: MLP 64-128-10 (ReLU), batch 64;</li>
 * <li>{@code mlp784}: MLP 784-256-10 (ReLU), batch 64;</li>
 * <li>{@code cnn}: the digits CNN on 1x8x8 images, Conv2d(1, 16, 3, pad 1) ReLU MaxPool(2) Conv2d(16, 32,
 * 3, pad 1) ReLU MaxPool(2) Flatten Linear(128, 10), batch 64;</li>
 * <li>{@code lstm}: LSTM(32, 64), batch-first, batch 32 of 16 steps, Linear(64, 10) on the last step.</li>
 * </ul>
 * {@link Report} shows steps per second and, from JMH's gc profiler, the bytes allocated per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingStepBenchmark {

    @Param({"mlp64", "mlp784", "cnn", "lstm"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    private UnaryOperator<Tensor> forward;
    private Optimizer opt;
    private final Loss loss = new CrossEntropyLoss();
    private Tensor x;
    private Tensor y;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Generator g = new Generator(1);
        Module net;
        int batch = 64;
        switch (model) {
            case "mlp64" -> {
                net = new Sequential(new Linear(64, 128, g), new ReLU(), new Linear(128, 10, g));
                x = Tensor.of(NDArray.randn(g, DType.FLOAT32, batch, 64));
                forward = net::forward;
            }
            case "mlp784" -> {
                net = new Sequential(new Linear(784, 256, g), new ReLU(), new Linear(256, 10, g));
                x = Tensor.of(NDArray.randn(g, DType.FLOAT32, batch, 784));
                forward = net::forward;
            }
            case "cnn" -> {
                net = new Sequential(new Conv2d(1, 16, 3, 1, 1, g), new ReLU(), new MaxPool2d(2),
                        new Conv2d(16, 32, 3, 1, 1, g), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(128, 10, g));
                x = Tensor.of(NDArray.randn(g, DType.FLOAT32, batch, 1, 8, 8));
                forward = net::forward;
            }
            case "lstm" -> {
                batch = 32;
                LSTM lstm = new LSTM(32, 64, 1, true, true, g);
                Linear head = new Linear(64, 10, g);
                net = new ModuleList(lstm, head);
                x = Tensor.of(NDArray.randn(g, DType.FLOAT32, batch, 16, 32));
                forward = in -> head.forward(lstm.forward(in).select(1, 15));
            }
            default -> throw new IllegalArgumentException("TrainingStepBenchmark: unknown model " + model);
        }
        opt = new Adam(net.parameters(), 1e-3);
        List<Double> labels = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            labels.add((double) (i % 10));
        }
        y = Tensor.of(NDArray.of(labels.stream().mapToDouble(Double::doubleValue).toArray(), batch).to(DType.FLOAT32));
    }

    @Benchmark
    public double step() {
        Tensor l = loss.forward(forward.apply(x), y);
        opt.zeroGrad();
        l.backward();
        opt.step();
        return l.item();
    }
}
