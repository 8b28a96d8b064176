package dev.vectorgrad.nn.data;

/**
 * Random access to samples: how many there are, and a batch of any of them by index.
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
}
