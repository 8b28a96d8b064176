package dev.vectorgrad.nn.data;

/**
 * Random access to samples: how many there are, and a batch of any of them by index. A
 * {@link DataLoader} that prefetches calls {@link #batch} from a background thread, so an implementation
 * must allow that (read-only access to its arrays does).
 *
 * <pre>{@code
 * Dataset data = new TensorDataset(x, y);
 * Batch b = data.batch(new int[] {0, 5, 7});
 * }</pre>
 */
public interface Dataset {

    int size();

    /** The samples at {@code indices}, stacked along a new first axis, in that order. */
    Batch batch(int[] indices);

    /** The samples {@code from..to} (exclusive) as a dataset of their own, without copying. */
    default Dataset range(int from, int to) {
        checkRange(this, from, to);
        Dataset whole = this;
        return new Dataset() {
            @Override
            public int size() {
                return to - from;
            }

            @Override
            public Batch batch(int[] indices) {
                int[] shifted = new int[indices.length];
                for (int i = 0; i < indices.length; i++) {
                    shifted[i] = from + indices[i];
                }
                return whole.batch(shifted);
            }
        };
    }

    /** Throws unless {@code 0 <= from <= to <= data.size()}. */
    static void checkRange(Dataset data, int from, int to) {
        if (from < 0 || to < from || to > data.size()) {
            throw new IllegalArgumentException("Dataset.range: samples " + from + ".." + to + " are not within 0.." + data.size());
        }
    }
}
