package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Units computed while the output is allocated land, through the staging space, where they belong: a
 * 64 MB output (long enough to zero that the other task stages units meanwhile) of units of uneven
 * length, each element its own index.
 */
class StagedOutputTest {

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void stagedUnitsAreCopiedToTheirPlace() {
        int numel = 1 << 24, block = 1 << 15;
        int units = (numel + block - 1) / block + 1;
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            int staged = 0;
            // Staging depends on timing: the second task must start while the first allocates.
            for (int attempt = 0; attempt < 5 && (threads == 1 ? attempt == 0 : staged == 0); attempt++) {
                AtomicInteger elsewhere = new AtomicInteger();
                float[] out = (float[]) StagedOutput.compute(DType.FLOAT32, numel, units, threads, block, StagedOutputTest::at,
                        u -> length(u, numel, block), t -> (u, dest, offset) -> {
                            float[] d = (float[]) dest;
                            if (d.length != numel) {
                                elsewhere.incrementAndGet();
                            }
                            for (int i = 0; i < length(u, numel, block); i++) {
                                d[offset + i] = at(u) + i;
                            }
                        });
                for (int i = 0; i < numel; i++) {
                    if (out[i] != i) {
                        assertEquals(i, out[i], "element " + i + " with " + threads + " threads");
                    }
                }
                staged = elsewhere.get();
            }
            assertTrue(threads == 1 || staged > 0, "no unit was staged in five attempts with 2 threads");
        }
    }

    /** Units of 1<<15 elements, except the first, which has 1000: every later unit starts off a block boundary. */
    private static int at(int u) {
        return u == 0 ? 0 : 1000 + (u - 1) * (1 << 15);
    }

    private static int length(int u, int numel, int block) {
        return u == 0 ? 1000 : Math.max(0, Math.min(block, numel - at(u)));
    }
}
