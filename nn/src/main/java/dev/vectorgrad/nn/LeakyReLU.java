package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * {@code x} where positive, {@code slope * x} elsewhere (PyTorch's default slope 0.01; any slope, also
 * above 1, and at 0 the gradient is the slope, as PyTorch's).
 *
 * <pre>{@code
 * Module act = new LeakyReLU(0.2);
 * }</pre>
 */
public final class LeakyReLU extends Activation {

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double slope) {
        super("LeakyReLU(slope=" + slope + ")", x -> Tensor.where(x.gt(Tensor.scalar(0, x.dtype())), x, x.mul(slope)));
    }
}
