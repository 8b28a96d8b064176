package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/** {@code |input - target|}. */
public final class L1Loss extends Loss {

    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        sameShape(input, target);
        return reduce(input.sub(target).abs());
    }
}
