package dev.vectorgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Backward walks the graph iteratively: a million-node chain runs on a thread with a small stack. */
class DeepGraphTest {

    @Test
    void aMillionNodeChainBackPropagatesOnASmallStack() throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad(true);
                Tensor y = x;
                for (int i = 0; i < 1_000_000; i++) {
                    y = y.mul(1.000001);
                }
                y.sum().backward();
                result.set(x.grad().value().item());
            } catch (Throwable t) {
                result.set(t);
            }
        }, "small-stack", 256 * 1024);
        worker.start();
        worker.join();
        if (result.get() instanceof Throwable t) {
            throw new AssertionError("backward over 1,000,000 nodes failed", t);
        }
        assertEquals(Math.pow(1.000001, 1_000_000), (double) result.get(), 1e-9);
    }
}
