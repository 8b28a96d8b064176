package dev.vectorgrad.nn;

/**
 * {@link BatchNorm} of {@code [batch, features]} or {@code [batch, channels, length]} inputs, with
 * PyTorch's defaults ({@code eps=1e-5, momentum=0.1, affine, trackRunningStats}).
 *
 * <pre>{@code
 * BatchNorm1d bn = new BatchNorm1d(64);
 * Tensor y = bn.forward(x);                 // x [32, 64]: each feature normalised over the batch
 * }</pre>
 */
public final class BatchNorm1d extends BatchNorm {

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** {@code momentum} null means a cumulative average of the batch statistics. */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(new int[] {2, 3}, numFeatures, eps, momentum, affine, trackRunningStats);
    }
}
