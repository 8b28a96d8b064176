package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.Generator;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Mini-batches of a dataset, reshuffled at each pass when asked, from a seeded generator so that a run
 * repeats bit for bit; the last short batch is kept unless {@code dropLast}.
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(data, 32, true, false, new Generator(0));
 * for (Batch b : loader) { ... }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator g;

    public DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, Generator g) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.g = g;
    }

    /** Batches per pass. */
    public int batches() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
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

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next++ * batchSize;
                int to = Math.min(from + batchSize, order.length);
                int[] idx = new int[to - from];
                System.arraycopy(order, from, idx, 0, idx.length);
                return data.batch(idx);
            }
        };
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
