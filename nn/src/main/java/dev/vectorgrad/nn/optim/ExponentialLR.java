package dev.vectorgrad.nn.optim;

/**
 * Multiplies the rate by {@code gamma} every epoch, as PyTorch's {@code ExponentialLR}:
 * {@code lr = initialLr * gamma^epoch}.
 *
 * <pre>{@code
 * LRScheduler s = new ExponentialLR(optimizer, 0.95);
 * s.step();                                          // after each epoch
 * }</pre>
 */
public final class ExponentialLR extends LRScheduler {

    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer, -1, null);
        this.gamma = gamma;
        step();
    }

    @Override
    protected double lr(int group, double lr) {
        return lastEpoch() == 0 ? lr : lr * gamma;
    }
}
