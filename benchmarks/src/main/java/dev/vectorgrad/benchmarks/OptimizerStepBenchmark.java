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
 * Adam, and SGD with momentum 0.9, each beside the scalar loop over {@code float[]} a Java programmer would
 * write for the same update. {@link Report} gives millions of parameters updated per second and the bytes
 * a step allocates (none that grow with n).
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
    private float[] param;
    private float[] grad;
    private float[] firstMoment;
    private float[] secondMoment;
    private int steps;

    @Setup
    public void setup() {
        Tensor p = Tensor.of(NDArray.randn(new Generator(1), DType.FLOAT32, n)).requiresGrad(true);
        p.mul(Tensor.of(NDArray.randn(new Generator(2), DType.FLOAT32, n))).sum().backward();
        opt = optimizer.equals("adam") ? new Adam(List.of(p), 1e-3)
                : new SGD(List.of(new ParamGroup(List.of(p), Map.of("lr", 1e-3, "momentum", 0.9))), Map.of());
        opt.step();
        param = p.value().toFloatArray();
        grad = p.grad().value().toFloatArray();
        firstMoment = new float[n];
        secondMoment = new float[n];
    }

    @Benchmark
    public Optimizer step() {
        opt.step();
        return opt;
    }

    /** PyTorch's formulas with its defaults (betas 0.9 and 0.999, eps 1e-8), lr 1e-3; SGD's buffer in firstMoment. */
    @Benchmark
    public float[] stepScalarLoop() {
        float lr = 1e-3f;
        if (optimizer.equals("adam")) {
            steps++;
            float correction1 = (float) (1 - Math.pow(0.9, steps)), correction2 = (float) (1 - Math.pow(0.999, steps));
            for (int i = 0; i < n; i++) {
                float g = grad[i];
                firstMoment[i] = 0.9f * firstMoment[i] + 0.1f * g;
                secondMoment[i] = 0.999f * secondMoment[i] + 0.001f * g * g;
                param[i] -= lr * (firstMoment[i] / correction1) / ((float) Math.sqrt(secondMoment[i] / correction2) + 1e-8f);
            }
        } else {
            for (int i = 0; i < n; i++) {
                firstMoment[i] = 0.9f * firstMoment[i] + grad[i];
                param[i] -= lr * firstMoment[i];
            }
        }
        return param;
    }
}
