package dev.vectorgrad.nn.optim;

/**
 * Anneals the rate from its initial value to {@code etaMin} along half a cosine over {@code tMax} epochs,
 * then back up over the next {@code tMax} (SGDR without restarts), as PyTorch's
 * {@code CosineAnnealingLR}: {@code etaMin + (initialLr - etaMin) (1 + cos(pi epoch / tMax)) / 2},
 * computed in PyTorch's recursive form, so the values are PyTorch's.
 *
 * <pre>{@code
 * LRScheduler s = new CosineAnnealingLR(optimizer, 100, 1e-5);
 * s.step();                                          // after each epoch
 * }</pre>
 */
public final class CosineAnnealingLR extends LRScheduler {

    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be at least 1, got " + tMax);
        }
        super(optimizer, -1, null);
        this.tMax = tMax;
        this.etaMin = etaMin;
        step();
    }

    @Override
    protected double lr(int group, double lr) {
        int epoch = lastEpoch();
        if (epoch == 0) {
            return lr;
        }
        if ((epoch - 1 - tMax) % (2 * tMax) == 0) {
            // The bottom of the cosine: the ratio below would divide by 1 + cos(pi) = 0.
            return lr + (baseLr(group) - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * epoch / tMax)) / (1 + Math.cos(Math.PI * (epoch - 1) / tMax)) * (lr - etaMin) + etaMin;
    }
}
