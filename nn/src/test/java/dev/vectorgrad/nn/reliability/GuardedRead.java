package dev.vectorgrad.nn.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a reader on untrusted input under watch, for the fuzz properties (jqwik has no per-try timeout):
 * on a worker thread with a deadline, so a hang or an infinite loop fails the try instead of the build;
 * counting the heap the worker allocates (HotSpot's per-thread counter), so a reader that allocates what
 * a header claims rather than what the file holds fails even when the heap is large enough; and catching
 * every Throwable, so an OutOfMemoryError or a StackOverflowError is reported as such.
 *
 * <pre>{@code
 * GuardedRead.Outcome<Contents> o = GuardedRead.run(16 * Files.size(file) + GuardedRead.SLACK, () -> SafeTensors.read(file));
 * GuardedRead.assertReadOrRejected(o, SafeTensorsException.class);
 * }</pre>
 */
public final class GuardedRead {

    /** Allocation any read may make whatever its input: buffers, exceptions and their stack traces. */
    public static final long SLACK = 256 << 10;

    /** Far beyond what any read of the fuzzed inputs takes, even on a loaded 2-core machine. */
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static ExecutorService worker = newWorker();

    private GuardedRead() {
    }

    /** What a read gave: its value or what it threw, the bytes it allocated and the budget it had. */
    public record Outcome<T>(T value, Throwable thrown, long allocated, long budget) {
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "guarded-read");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code read} with a budget of {@code budget} bytes; fails if it has not finished within the
     * deadline. A read over budget is run once more and measured again: the first use of a code path
     * loads classes and links call sites (lambdas, string concatenations) once for the whole JVM, which
     * is no cost of the read.
     */
    public static synchronized <T> Outcome<T> run(long budget, Callable<T> read) {
        Outcome<T> first = once(budget, read);
        return first.allocated() <= budget ? first : once(budget, read);
    }

    private static <T> Outcome<T> once(long budget, Callable<T> read) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Future<Outcome<T>> future = worker.submit(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            T value = null;
            Throwable thrown = null;
            try {
                value = read.call();
            } catch (Throwable t) {
                thrown = t;
            }
            return new Outcome<>(value, thrown, threads.getCurrentThreadAllocatedBytes() - before, budget);
        });
        try {
            return future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            return fail("the read gave no answer within " + DEADLINE + " (a hang or an infinite loop)");
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Checks that {@code o} is a value or an exception of the {@code documented} type (nothing else
     * escaped), and that the read kept to its budget.
     */
    public static void assertReadOrRejected(Outcome<?> o, Class<? extends Exception> documented) {
        if (o.thrown() != null && !documented.isInstance(o.thrown())) {
            throw new AssertionError("expected a value or a " + documented.getSimpleName() + ", got " + o.thrown(), o.thrown());
        }
        assertTrue(o.allocated() <= o.budget(), "the read allocated " + o.allocated() + " bytes, more than its budget of " + o.budget());
    }

    /** Checks that {@code o} is an exception of the {@code documented} type and returns it. */
    public static <E extends Exception> E assertRejected(Outcome<?> o, Class<E> documented) {
        assertReadOrRejected(o, documented);
        assertTrue(o.thrown() != null, "expected a " + documented.getSimpleName() + ", but the read succeeded");
        return documented.cast(o.thrown());
    }
}
