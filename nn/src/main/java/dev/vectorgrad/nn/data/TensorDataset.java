package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;

/**
 * A dataset held in two arrays whose first axis is the sample: features and targets.
 *
 * <pre>{@code
 * Dataset d = new TensorDataset(NDArray.randn(g, 100, 8), labels);
 * }</pre>
 */
public record TensorDataset(NDArray x, NDArray y) implements Dataset {

    public TensorDataset {
        if (x.dim() == 0 || y.dim() == 0 || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("TensorDataset: features of shape " + Shape.format(x.shape())
                    + " and targets of shape " + Shape.format(y.shape()) + " need the same first dimension");
        }
    }

    @Override
    public int size() {
        return x.size(0);
    }

    @Override
    public Batch batch(int[] indices) {
        double[] idx = new double[indices.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = indices[i];
        }
        NDArray index = NDArray.of(idx, idx.length);
        return new Batch(x.indexSelect(0, index), y.indexSelect(0, index));
    }

    /** The samples {@code from..to} (exclusive), as views. */
    @Override
    public TensorDataset range(int from, int to) {
        Dataset.checkRange(this, from, to);
        return new TensorDataset(x.slice(0, from, to), y.slice(0, from, to));
    }

    /** The same samples with the features passed through {@code scaler}. */
    public TensorDataset scaled(Scaler scaler) {
        return new TensorDataset(scaler.transform(x), y);
    }
}
