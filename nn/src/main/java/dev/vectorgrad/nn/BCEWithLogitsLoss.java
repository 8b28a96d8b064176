package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * Binary cross-entropy of {@code sigmoid(input)} against targets in [0, 1], computed from the logits
 * without overflow: {@code max(x, 0) - x t + log(1 + exp(-|x|))}.
 */
public final class BCEWithLogitsLoss extends Loss {

    public BCEWithLogitsLoss() {
        this(Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor x, Tensor t) {
        sameShape(x, t);
        return reduce(x.relu().sub(x.mul(t)).add(x.abs().neg().exp().log1p()));
    }
}
