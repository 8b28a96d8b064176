package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Sequential;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A step allocates nothing proportional to the model: the bytes this thread allocates per step, once the
 * first step has created the state and the JIT has compiled the kernels, are under a kilobyte for a model
 * and for one 100 times larger (where one temporary array of a parameter would be 40 KB). Counted by the
 * JVM's per-thread allocation counter, not timed. Interpreted or C1-compiled Vector API code boxes its
 * vectors, so each measurement repeats until the compiled code shows (or a budget of calls runs out).
 */
class AllocationTest {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * The fewest bytes one call of {@code step} allocated, over windows of 10 calls: windows repeat until one
     * allocates under 64 bytes a call, or 400 windows have run.
     */
    static long bytesPerStep(Runnable step) {
        long fewest = Long.MAX_VALUE;
        for (int window = 0; window < 400 && fewest >= 64; window++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10; i++) {
                step.run();
            }
            fewest = Math.min(fewest, (THREADS.getCurrentThreadAllocatedBytes() - before) / 10);
        }
        return fewest;
    }

    /** Two {@code width x width} layers with gradients from one backward pass, kept for every step. */
    static List<Tensor> model(int width) {
        Generator g = new Generator(width);
        Sequential net = new Sequential(new Linear(width, width, g), new Linear(width, width, g));
        net.forward(Tensor.randn(g, DType.FLOAT32, 4, width)).sum().backward();
        return net.parameters();
    }

    @Test
    void stepAllocationDoesNotGrowWithTheModel() {
        List<Function<List<ParamGroup>, Optimizer>> optimizers = List.of(
                g -> new SGD(g, Map.of("lr", 1e-3)),
                g -> new SGD(g, Map.of("lr", 1e-3, "momentum", 0.9, "nesterov", 1.0, "weightDecay", 1e-4)),
                g -> new Adam(g, Map.of("amsgrad", 1.0, "weightDecay", 1e-4)),
                g -> new AdamW(g, Map.of()),
                g -> new RMSprop(g, Map.of("lr", 1e-4, "momentum", 0.9, "centered", 1.0)),
                g -> new Adagrad(g, Map.of("lrDecay", 1e-3)));
        for (Function<List<ParamGroup>, Optimizer> make : optimizers) {
            long[] bytes = new long[2];
            int[] widths = {10, 100};
            for (int k = 0; k < 2; k++) {
                Optimizer opt = make.apply(List.of(new ParamGroup(model(widths[k]), Map.of())));
                bytes[k] = bytesPerStep(opt::step);
            }
            String what = make.apply(List.of(new ParamGroup(model(1), Map.of()))).getClass().getSimpleName();
            // The larger model has 20,200 FLOAT32 elements: a temporary of one parameter would be 40 KB.
            assertTrue(bytes[1] <= bytes[0] + 256 && bytes[1] < 1024, what + ": " + bytes[0] + " bytes per step for"
                    + " 220 elements, " + bytes[1] + " for 20,200");
        }
    }

    @Test
    void clippingAllocatesNothingThatGrowsWithTheModel() {
        long small = bytesPerStep(clip(model(10))), large = bytesPerStep(clip(model(100)));
        assertTrue(large <= small + 256 && large < 1024, small + " bytes per clip for 220 elements, " + large + " for 20,200");
    }

    private static Runnable clip(List<Tensor> params) {
        return () -> {
            ClipGrad.clipGradNorm(params, 1e-3, 2);
            ClipGrad.clipGradValue(params, 1e3);
        };
    }
}
