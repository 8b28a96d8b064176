package dev.vectorgrad.benchmarks;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.ParamGroup;
import dev.vectorgrad.nn.optim.SGD;
import java.util.List;
import java.util.Map;
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
 * One optimizer step over a FLOAT32 parameter of {@code n} elements whose gradient is already there:
 * Adam, and SGD with momentum 0.9. {@link Report} gives millions of parameters updated per second and
 * the bytes a step allocates (none that grow with n).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OptimizerStepBenchmark {

    @Param({"adam", "sgd"})
    public String optimizer;

    @Param({"1048576"})
    public int n;

    private Optimizer opt;

    @Setup
    public void setup() {
        Tensor p = Tensor.of(NDArray.randn(new Generator(1), DType.FLOAT32, n)).requiresGrad(true);
        p.mul(Tensor.of(NDArray.randn(new Generator(2), DType.FLOAT32, n))).sum().backward();
        opt = optimizer.equals("adam") ? new Adam(List.of(p), 1e-3)
                : new SGD(List.of(new ParamGroup(List.of(p), Map.of("lr", 1e-3, "momentum", 0.9))), Map.of());
        opt.step();
    }

    @Benchmark
    public Optimizer step() {
        opt.step();
        return opt;
    }
}
