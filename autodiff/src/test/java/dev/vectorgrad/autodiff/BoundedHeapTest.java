package dev.vectorgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

/** Graphs are released after backward: 10,000 training-like steps leave the live heap where it was. */
class BoundedHeapTest {

    private static long liveHeap(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void tenThousandStepsRunInABoundedHeap() {
        Generator g = new Generator(3);
        Tensor w1 = Tensor.randn(g, DType.FLOAT32, 8, 16).mul(0.3).detach().requiresGrad(true);
        Tensor w2 = Tensor.randn(g, DType.FLOAT32, 16, 1).mul(0.3).detach().requiresGrad(true);
        Tensor x = Tensor.randn(g, DType.FLOAT32, 32, 8);
        Tensor target = x.sum(new int[] {1}, true).tanh();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = 0;
        double first = 0, last = 0;
        for (int step = 0; step < 10_000; step++) {
            Tensor loss = x.matmul(w1).tanh().matmul(w2).sub(target).pow(2).mean();
            loss.backward();
            try (Scope ignored = Autograd.noGrad()) {
                w1.value().addInPlace(w1.grad().value(), -0.05);
                w2.value().addInPlace(w2.grad().value(), -0.05);
            }
            w1.zeroGrad();
            w2.zeroGrad();
            if (step == 0) {
                first = loss.item();
            }
            if (step == 1_000) {
                baseline = liveHeap(memory);
            }
            last = loss.item();
        }
        long growth = liveHeap(memory) - baseline;
        assertTrue(growth < 8L << 20, "live heap grew by " + (growth >> 10) + " KiB over 9,000 steps");
        assertTrue(last < first / 4, "the model learned: loss " + first + " -> " + last);
    }
}
