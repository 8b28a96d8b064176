package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @AfterEach
    void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void everyTaskRunsExactlyOnceWhateverTheThreadCount() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int round = 0; round < 200; round++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(17);
                Parallel.forEach(17, runs::incrementAndGet);
                for (int i = 0; i < 17; i++) {
                    assertEquals(1, runs.get(i), "task " + i + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    void aFailingTaskFailsTheCallAndThePoolStaysUsable() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallel.forEach(4, i -> {
                    if (i == 3) {
                        throw new IllegalStateException("task 3 failed");
                    }
                }));
        assertEquals("task 3 failed", e.getMessage());
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        Parallel.forEach(4, runs::incrementAndGet);
        assertEquals(4, runs.get(0) + runs.get(1) + runs.get(2) + runs.get(3));
    }

    @Test
    void nestedAndConcurrentCallsNeitherDeadlockNorChangeResults() throws Exception {
        Parallel.setThreads(2);
        NDArray a = NDArray.randn(new Generator(1), 160, 130), b = NDArray.randn(new Generator(2), 130, 150);
        float[] expected = a.matmul(b).toFloatArray();
        AtomicIntegerArray nested = new AtomicIntegerArray(2);
        Parallel.forEach(2, i -> {
            assertArrayEquals(expected, a.matmul(b).toFloatArray());   // a kernel called from inside a task
            nested.incrementAndGet(i);
        });
        assertEquals(1, nested.get(1));
        ExecutorService users = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(users.submit(() -> a.matmul(b).toFloatArray()));
            }
            for (Future<float[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            users.shutdown();
        }
    }
}
