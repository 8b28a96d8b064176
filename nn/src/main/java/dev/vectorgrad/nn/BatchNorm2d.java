package dev.vectorgrad.nn;

/**
 * {@link BatchNorm} of {@code [batch, channels, height, width]} inputs (statistics per channel), with
 * PyTorch's defaults ({@code eps=1e-5, momentum=0.1, affine, trackRunningStats}).
 *
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(16);
 * Tensor y = bn.forward(x);                 // x [8, 16, 28, 28]
 * }</pre>
 */
public final class BatchNorm2d extends BatchNorm {

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** {@code momentum} null means a cumulative average of the batch statistics. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(new int[] {4}, numFeatures, eps, momentum, affine, trackRunningStats);
    }
}
