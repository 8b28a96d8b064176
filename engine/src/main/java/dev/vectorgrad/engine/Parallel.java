package dev.vectorgrad.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
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
 *
 * <p>Workers spin for a short while after a job before they park, as OpenMP runtimes and OpenBLAS do:
 * waking a parked thread costs 20 to 40 µs on this kind of machine, which is a third of a 256x256 matmul,
 * while a training loop issues its products back to back. A worker that finds nothing for
 * {@link #SPIN_NANOS} parks and costs nothing.
 */
public final class Parallel {

    /** How long an idle worker keeps looking for the next job before it parks. */
    static final long SPIN_NANOS = 200_000;

    private static volatile Team team = new Team(initialThreads());

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
        return team.size;
    }

    /** Sets how many threads ops may use; a job already running finishes on the old workers. */
    public static synchronized void setThreads(int threads) {
        if (checked(threads) != threads()) {
            Team old = team;
            team = new Team(threads);
            old.shutdown();
        }
    }

    /**
     * Runs {@code task} for {@code 0 .. tasks-1} and returns when all are done: on the caller and the
     * workers together, unless there is one thread or one task, the caller is itself a worker, or another
     * thread's job holds the workers (then in order, here, so that no call can wait on a pool it occupies).
     */
    public static void forEach(int tasks, IntConsumer task) {
        Team current = team;
        if (tasks <= 1 || current.size == 1 || Thread.currentThread() instanceof Worker || !current.lock.tryLock()) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        try {
            current.run(tasks, task);
        } finally {
            current.lock.unlock();
        }
    }

    /** {@code size - 1} workers that, with the calling thread, take the tasks of one job at a time. */
    private static final class Team {
        final int size;
        final ReentrantLock lock = new ReentrantLock();
        final Worker[] workers;
        volatile Job job;
        volatile boolean stopped;

        Team(int size) {
            this.size = size;
            this.workers = new Worker[size - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        void run(int tasks, IntConsumer task) {
            Job j = new Job(tasks, task);
            job = j;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
            j.work();
            while (j.done.get() < tasks) {
                Thread.onSpinWait();
            }
            if (j.failure != null) {
                throw j.failure;
            }
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        }
    }

    /** One forEach call: tasks are claimed one at a time, so every task runs exactly once. */
    private static final class Job {
        final int tasks;
        final IntConsumer task;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile RuntimeException failure;

        Job(int tasks, IntConsumer task) {
            this.tasks = tasks;
            this.task = task;
        }

        void work() {
            for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                try {
                    task.accept(i);
                } catch (RuntimeException | Error e) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    private static final class Worker extends Thread {
        private final Team team;

        Worker(Team team, int index) {
            super("vectorgrad-worker-" + index);
            this.team = team;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null;
            while (!team.stopped) {
                Job j = team.job;
                if (j != seen && j != null) {
                    seen = j;
                    j.work();
                    continue;
                }
                long idleSince = System.nanoTime();
                while (team.job == seen && !team.stopped && System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                }
                if (team.job == seen && !team.stopped) {
                    LockSupport.park(this);
                }
            }
        }
    }
}
