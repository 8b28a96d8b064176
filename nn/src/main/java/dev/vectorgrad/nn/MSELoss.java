package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/** {@code (input - target)²}. */
public final class MSELoss extends Loss {

    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        sameShape(input, target);
        Tensor d = input.sub(target);
        return reduce(d.mul(d));
    }
}
