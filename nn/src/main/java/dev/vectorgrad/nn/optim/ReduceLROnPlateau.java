package dev.vectorgrad.nn.optim;

import java.util.Map;

/**
 * Reduces the rate by {@code factor} when a monitored metric has stopped improving for more than
 * {@code patience} epochs, as PyTorch's {@code ReduceLROnPlateau}: an improvement beats the best value by
 * {@code threshold} (relative or absolute), a reduction is followed by {@code cooldown} epochs in which bad
 * epochs are not counted, the rate never goes below {@code minLr}, and a change smaller than {@code eps}
 * is skipped. Step it with the metric: {@link #step(double)}; {@link #step()} without one throws.
 *
 * <pre>{@code
 * ReduceLROnPlateau s = new ReduceLROnPlateau(optimizer);   // mode MIN, factor 0.1, patience 10
 * s.step(validationLoss);                                    // after each epoch
 * }</pre>
 */
public final class ReduceLROnPlateau extends LRScheduler {

    /** Whether the metric should go down (a loss) or up (an accuracy). */
    public enum Mode { MIN, MAX }

    /** Whether an improvement beats the best value by {@code best * threshold} or by {@code threshold}. */
    public enum ThresholdMode { REL, ABS }

    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double minLr;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;

    /** PyTorch's defaults: MIN, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown, minLr 0, eps 1e-8. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
    }

    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
                             ThresholdMode thresholdMode, int cooldown, double minLr, double eps) {
        if (!(factor >= 0 && factor < 1) || patience < 0 || !(threshold >= 0) || cooldown < 0 || !(minLr >= 0)
                || !(eps >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: needs factor in [0, 1) and non-negative patience,"
                    + " threshold, cooldown, minLr and eps, got factor " + factor + ", patience " + patience
                    + ", threshold " + threshold + ", cooldown " + cooldown + ", minLr " + minLr + ", eps " + eps);
        }
        super(optimizer, 0, null);
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.eps = eps;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Throws: this scheduler needs the monitored metric. */
    @Override
    public void step() {
        throw new IllegalStateException("ReduceLROnPlateau: step needs the monitored metric; call step(metric)");
    }

    /** One epoch with the monitored {@code metric}: counts it as an improvement or a bad epoch, reduces when due. */
    @Override
    public void step(double metric) {
        nextEpoch();
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            applyLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        recordLastLr();
    }

    private boolean isBetter(double metric) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? metric < best * (1 - threshold) : metric < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? metric > best * (threshold + 1) : metric > best + threshold;
        };
    }

    /** The reduced rate, unless the reduction is smaller than {@code eps}. */
    @Override
    protected double lr(int group, double lr) {
        double reduced = Math.max(lr * factor, minLr);
        return lr - reduced > eps ? reduced : lr;
    }

    @Override
    protected Map<String, Double> extraState() {
        return Map.of("best", best, "numBadEpochs", (double) numBadEpochs, "cooldownCounter", (double) cooldownCounter);
    }

    @Override
    protected void restoreExtraState(Map<String, Double> values) {
        best = values.get("best");
        numBadEpochs = (int) (double) values.get("numBadEpochs");
        cooldownCounter = (int) (double) values.get("cooldownCounter");
    }
}
