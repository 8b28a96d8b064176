package dev.vectorgrad.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * The engine's one thread pool. Its size comes from the system property {@code vectorgrad.threads}, or
 * {@link #setThreads(int)}, and defaults to the number of processors. Ops split large problems into
 * tasks whose results do not depend on how many threads run them.
 *
 * <pre>{@code
 * Parallel.setThreads(1);                  // or -Dvectorgrad.threads=1
 * NDArray c = a.matmul(b);                 // same bits as with 2 threads
 * }</pre>
 */
public final class Parallel {

    private static volatile ForkJoinPool pool = new ForkJoinPool(initialThreads());

    private Parallel() {
    }

    private static int initialThreads() {
        String property = System.getProperty("vectorgrad.threads");
        if (property == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            return checked(Integer.parseInt(property.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vectorgrad.threads: '" + property + "' is not a whole number", e);
        }
    }

    private static int checked(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("setThreads: needs at least one thread, got " + threads);
        }
        return threads;
    }

    /** How many threads ops may use. */
    public static int threads() {
        return pool.getParallelism();
    }

    /** Sets how many threads ops may use; tasks already running finish on the old pool. */
    public static synchronized void setThreads(int threads) {
        if (threads != threads()) {
            ForkJoinPool old = pool;
            pool = new ForkJoinPool(checked(threads));
            old.shutdown();
        }
    }

    /**
     * Runs {@code task} for {@code 0 .. tasks-1} and returns when all are done; in parallel on the pool,
     * unless there is one thread, one task, or the caller is itself a pool task (then in order, here, so
     * that a kernel called from inside a task can never wait on the pool it occupies).
     */
    public static void forEach(int tasks, IntConsumer task) {
        ForkJoinPool current = pool;
        if (tasks <= 1 || current.getParallelism() == 1 || ForkJoinTask.inForkJoinPool()) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        List<ForkJoinTask<?>> running = new ArrayList<>(tasks - 1);
        for (int i = 1; i < tasks; i++) {
            int index = i;
            running.add(current.submit(() -> task.accept(index)));
        }
        task.accept(0);
        for (ForkJoinTask<?> t : running) {
            t.join();
        }
    }
}
