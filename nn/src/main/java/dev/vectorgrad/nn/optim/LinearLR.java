package dev.vectorgrad.nn.optim;

/**
 * A linear warm-up (or decay): the rate is scaled by a factor going linearly from {@code startFactor} to
 * {@code endFactor} over {@code totalIters} epochs, then stays, as PyTorch's {@code LinearLR}:
 * {@code initialLr * (startFactor + (endFactor - startFactor) * min(epoch, totalIters) / totalIters)}.
 *
 * <pre>{@code
 * LRScheduler warmup = new LinearLR(optimizer, 0.01, 1.0, 10);   // 1% of the rate up to all of it in 10 epochs
 * warmup.step();                                                  // after each epoch
 * }</pre>
 */
public sealed class LinearLR extends LRScheduler permits LinearWarmup {

    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /** PyTorch's defaults: from a third of the rate to all of it in 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1) || totalIters < 0) {
            throw new IllegalArgumentException("LinearLR: needs startFactor in (0, 1], endFactor in [0, 1] and"
                    + " totalIters >= 0, got " + startFactor + ", " + endFactor + ", " + totalIters);
        }
        super(optimizer, -1, null);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        step();
    }

    @Override
    protected double lr(int group, double lr) {
        int epoch = lastEpoch();
        if (epoch == 0) {
            return lr * startFactor;
        }
        if (epoch > totalIters) {
            return lr;
        }
        return lr * (1 + (endFactor - startFactor) / (totalIters * startFactor + (epoch - 1) * (endFactor - startFactor)));
    }
}
