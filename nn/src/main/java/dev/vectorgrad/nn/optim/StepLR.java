package dev.vectorgrad.nn.optim;

/**
 * Multiplies the rate by {@code gamma} every {@code stepSize} epochs, as PyTorch's {@code StepLR}:
 * {@code lr = initialLr * gamma^(epoch / stepSize)}.
 *
 * <pre>{@code
 * LRScheduler s = new StepLR(optimizer, 30, 0.1);   // 0.1 of the rate at epochs 30, 60, ...
 * s.step();                                          // after each epoch
 * }</pre>
 */
public final class StepLR extends LRScheduler {

    private final int stepSize;
    private final double gamma;

    /** PyTorch's default {@code gamma} of 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: stepSize must be at least 1, got " + stepSize);
        }
        super(optimizer, -1, null);
        this.stepSize = stepSize;
        this.gamma = gamma;
        step();
    }

    @Override
    protected double lr(int group, double lr) {
        return lastEpoch() == 0 || lastEpoch() % stepSize != 0 ? lr : lr * gamma;
    }
}
