package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;

/**
 * In training, zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)};
 * in eval mode, the identity. The mask comes from the given generator, so a seeded run repeats.
 *
 * <pre>{@code
 * Dropout drop = new Dropout(0.2, new Generator(0));
 * }</pre>
 */
public final class Dropout extends Module {

    private final double p;
    private final Generator g;

    public Dropout(double p, Generator g) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.g = g;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        NDArray keep = NDArray.uniform(g, DType.FLOAT32, 0, 1, x.shape()).ge(p).to(x.dtype()).mul(1 / (1 - p));
        return x.mul(Tensor.of(keep));
    }

    @Override
    protected String describe() {
        return "Dropout(p=" + p + ")";
    }
}
