package dev.vectorgrad.nn.optim;

import java.util.Arrays;

/**
 * Multiplies the rate by {@code gamma} at each milestone epoch (by {@code gamma^k} at a milestone given
 * {@code k} times), as PyTorch's {@code MultiStepLR}.
 *
 * <pre>{@code
 * LRScheduler s = new MultiStepLR(optimizer, new int[] {30, 80}, 0.1);
 * s.step();                                          // after each epoch
 * }</pre>
 */
public final class MultiStepLR extends LRScheduler {

    private final int[] milestones;
    private final double gamma;

    /** PyTorch's default {@code gamma} of 0.1. */
    public MultiStepLR(Optimizer optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer, -1, null);
        this.milestones = milestones.clone();
        this.gamma = gamma;
        step();
    }

    @Override
    protected double lr(int group, double lr) {
        long times = Arrays.stream(milestones).filter(m -> m == lastEpoch()).count();
        return times == 0 ? lr : lr * Math.pow(gamma, times);
    }
}
