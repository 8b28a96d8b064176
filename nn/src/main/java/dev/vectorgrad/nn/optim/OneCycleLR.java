package dev.vectorgrad.nn.optim;

import java.util.Arrays;
import java.util.List;

/**
 * The 1cycle policy (Smith and Topin), as PyTorch's {@code OneCycleLR}: the rate rises from
 * {@code maxLr / divFactor} to {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then
 * falls to {@code maxLr / divFactor / finalDivFactor} (with {@code threePhase}: back to the start first,
 * then down), annealed by cosine or linearly. With {@code cycleMomentum} the momentum moves the other way
 * between {@code maxMomentum} and {@code baseMomentum}: the group's {@code beta1} for Adam-like optimizers,
 * else its {@code momentum}. Step it after every batch; stepping past {@code totalSteps} throws.
 *
 * <pre>{@code
 * LRScheduler s = new OneCycleLR(optimizer, 0.1, epochs * batchesPerEpoch);
 * s.step();                                          // after each optimizer step
 * }</pre>
 */
public final class OneCycleLR extends LRScheduler {

    /** How the rate moves between two values. */
    public enum AnnealStrategy {
        COS, LINEAR;

        double anneal(double start, double end, double pct) {
            return switch (this) {
                case COS -> end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
                case LINEAR -> (end - start) * pct + start;
            };
        }
    }

    /** A phase ends at step {@code endStep} (inclusive; a fraction, as PyTorch computes it). */
    private record Phase(double endStep, double startLr, double endLr, double startMomentum, double endMomentum) {
    }

    private final int totalSteps;
    private final AnnealStrategy strategy;
    private final String momentumOption;
    private final List<Phase> phases;

    /** PyTorch's defaults: 30% rising, cosine, momentum cycled between 0.95 and 0.85, divFactor 25, finalDivFactor 1e4. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, AnnealStrategy.COS, true, 0.85, 0.95, 25, 1e4, false);
    }

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, AnnealStrategy strategy,
                      boolean cycleMomentum, double baseMomentum, double maxMomentum, double divFactor,
                      double finalDivFactor, boolean threePhase) {
        if (totalSteps < 1 || !(pctStart >= 0 && pctStart <= 1) || !(maxLr >= 0) || !(divFactor > 0)
                || !(finalDivFactor > 0)) {
            throw new IllegalArgumentException("OneCycleLR: needs totalSteps >= 1, pctStart in [0, 1], maxLr >= 0 and"
                    + " positive divFactor and finalDivFactor, got totalSteps " + totalSteps + ", pctStart " + pctStart
                    + ", maxLr " + maxLr + ", divFactor " + divFactor + ", finalDivFactor " + finalDivFactor);
        }
        String option = optimizer.defaults().containsKey("beta1") ? "beta1"
                : optimizer.defaults().containsKey("momentum") ? "momentum" : null;
        if (cycleMomentum && option == null) {
            throw new IllegalArgumentException("OneCycleLR: " + optimizer.getClass().getSimpleName() + " has no momentum"
                    + " or beta1 to cycle; pass cycleMomentum = false");
        }
        double initialLr = maxLr / divFactor, minLr = initialLr / finalDivFactor;
        double[] initialLrs = new double[optimizer.paramGroups().size()];
        Arrays.fill(initialLrs, initialLr);
        super(optimizer, -1, initialLrs);
        this.totalSteps = totalSteps;
        this.strategy = strategy;
        this.momentumOption = cycleMomentum ? option : null;
        double rise = pctStart * totalSteps - 1;
        this.phases = threePhase
                ? List.of(new Phase(rise, initialLr, maxLr, maxMomentum, baseMomentum),
                        new Phase(2 * pctStart * totalSteps - 2, maxLr, initialLr, baseMomentum, maxMomentum),
                        new Phase(totalSteps - 1, initialLr, minLr, maxMomentum, maxMomentum))
                : List.of(new Phase(rise, initialLr, maxLr, maxMomentum, baseMomentum),
                        new Phase(totalSteps - 1, maxLr, minLr, baseMomentum, maxMomentum));
        if (momentumOption != null) {
            optimizer.paramGroups().forEach(g -> g.set(momentumOption, maxMomentum));
        }
        step();
    }

    @Override
    public void step() {
        if (lastEpoch() + 1 > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (lastEpoch() + 2) + " times; totalSteps is "
                    + totalSteps);
        }
        super.step();
    }

    @Override
    protected double lr(int group, double lr) {
        int step = lastEpoch();
        double start = 0;
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            if (step <= phase.endStep() || i == phases.size() - 1) {
                double pct = (step - start) / (phase.endStep() - start);
                if (momentumOption != null) {
                    optimizer.paramGroups().get(group).set(momentumOption,
                            strategy.anneal(phase.startMomentum(), phase.endMomentum(), pct));
                }
                return strategy.anneal(phase.startLr(), phase.endLr(), pct);
            }
            start = phase.endStep();
        }
        throw new IllegalStateException("OneCycleLR: no phase for step " + step);
    }
}
