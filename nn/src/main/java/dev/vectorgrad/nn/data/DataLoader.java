package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.Generator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Mini-batches of a dataset, reshuffled at each pass when asked, from a seeded generator so that a run
 * repeats bit for bit; the last short batch is kept unless {@code dropLast}. With {@link #prefetch}, the
 * next batch is assembled on a background thread while the caller works on the current one: the order
 * is drawn before the pass starts, on the caller's thread, so the batches are the same either way.
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(data, 32, true, false, new Generator(0)).prefetch(true);
 * for (Batch b : loader) { ... }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator g;
    private final boolean prefetch;

    public DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, Generator g) {
        this(data, batchSize, shuffle, dropLast, g, false);
    }

    private DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, Generator g, boolean prefetch) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
        }
        if (shuffle && g == null) {
            throw new IllegalArgumentException("DataLoader: shuffling needs a generator");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.g = g;
        this.prefetch = prefetch;
    }

    /** This loader, assembling each next batch on a background thread when {@code on}. */
    public DataLoader prefetch(boolean on) {
        return new DataLoader(data, batchSize, shuffle, dropLast, g, on);
    }

    /** Batches per pass. */
    public int batches() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public Dataset dataset() {
        return data;
    }

    @Override
    public Iterator<Batch> iterator() {
        int[] order = permutation(data.size(), shuffle ? g : null);
        int count = batches();
        return new Iterator<>() {
            private int next;
            private FutureTask<Batch> ahead;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Batch current = ahead == null ? load(order, next) : await(ahead);
                ahead = null;
                next++;
                if (prefetch && next < count) {
                    int k = next;
                    ahead = new FutureTask<>(() -> load(order, k));
                    Thread.ofVirtual().name("DataLoader prefetch").start(ahead);
                }
                return current;
            }
        };
    }

    private Batch load(int[] order, int k) {
        int from = k * batchSize;
        int to = Math.min(from + batchSize, order.length);
        int[] idx = new int[to - from];
        System.arraycopy(order, from, idx, 0, idx.length);
        return data.batch(idx);
    }

    /** The prefetched batch, with a failure in the background rethrown here as it was thrown there. */
    private static Batch await(FutureTask<Batch> ahead) {
        try {
            return ahead.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("DataLoader: interrupted while waiting for a prefetched batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("DataLoader: " + e.getCause(), e.getCause());
        }
    }

    /** {@code 0..n-1}, Fisher-Yates shuffled when a generator is given. */
    public static int[] permutation(int n, Generator g) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (g != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = g.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }
}
