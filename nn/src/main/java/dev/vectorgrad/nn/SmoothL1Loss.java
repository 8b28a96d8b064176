package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * {@code 0.5 d² / beta} where {@code |d| < beta}, {@code |d| - 0.5 beta} elsewhere, for
 * {@code d = input - target} (PyTorch's default beta 1; beta 0 is L1): {@link HuberLoss} divided by beta.
 *
 * <pre>{@code
 * Tensor loss = new SmoothL1Loss(Reduction.SUM, 0.1).forward(boxes, targetBoxes);
 * }</pre>
 */
public final class SmoothL1Loss extends Loss {

    private final double beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must not be negative, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        sameShape(input, target);
        Tensor d = input.sub(target);
        return reduce(beta == 0 ? d.abs() : HuberLoss.huber(d, beta).div(beta));
    }

    @Override
    public String toString() {
        return "SmoothL1Loss(reduction=" + reduction.name().toLowerCase() + ", beta=" + beta + ")";
    }
}
