package dev.vectorgrad.nn.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.Optimizer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

/**
 * A long explicit training loop (forward, loss, backward, Adam step) runs with a flat live heap: graphs,
 * gradients and temporaries are all released. The default suite runs 5,000 steps; the nightly profile
 * ({@code mvn -B test -Pnightly}) runs 100,000 through the system property {@code vectorgrad.longRunSteps}.
 */
class LongRunTest {

    private static final int STEPS = Integer.getInteger("vectorgrad.longRunSteps", 5_000);

    @Test
    void aLongTrainingLoopKeepsTheLiveHeapFlat() {
        Generator g = new Generator(11);
        Sequential net = new Sequential(new Linear(16, 64, g), new ReLU(), new Linear(64, 4, g));
        Optimizer opt = new Adam(net.parameters(), 1e-3);
        Loss lossFn = new CrossEntropyLoss();
        Tensor x = Tensor.of(NDArray.randn(g, DType.FLOAT32, 32, 16));
        Tensor y = Tensor.of(x.value().slice(1, 0, 4).argmax(1, false));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = 0;
        double first = 0, last = 0;
        for (int step = 0; step < STEPS; step++) {
            Tensor loss = lossFn.forward(net.forward(x), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            last = loss.item();
            if (step == 0) {
                first = last;
            }
            if (step == STEPS / 10) {
                baseline = liveHeap(memory);
            }
        }
        long growth = liveHeap(memory) - baseline;
        assertTrue(growth < 4L << 20, "live heap grew by " + (growth >> 10) + " KiB over " + STEPS * 9 / 10 + " steps");
        assertTrue(last < first / 4, "the model learned: loss " + first + " -> " + last);
    }

    private static long liveHeap(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
