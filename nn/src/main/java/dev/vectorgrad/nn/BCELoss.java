package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * Binary cross-entropy of probabilities: {@code -(t log p + (1 - t) log(1 - p))}, each log clamped at
 * -100 as PyTorch does, so that a confident wrong answer gives a large finite loss.
 */
public final class BCELoss extends Loss {

    public BCELoss() {
        this(Reduction.MEAN);
    }

    public BCELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor p, Tensor t) {
        sameShape(p, t);
        Tensor logP = p.log().maximum(-100);
        Tensor log1mP = p.neg().add(1).log().maximum(-100);
        return reduce(t.mul(logP).add(t.neg().add(1).mul(log1mP)).neg());
    }
}
