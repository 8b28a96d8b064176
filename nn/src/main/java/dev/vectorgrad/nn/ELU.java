package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * {@code x} where positive, {@code alpha (exp(x) - 1)} elsewhere (PyTorch's default alpha 1; at 0 the
 * gradient is alpha, as PyTorch's). The negative side is computed as {@code 2 tanh(x/2) / (1 - tanh(x/2))},
 * which equals {@code exp(x) - 1} without its cancellation near 0 (PyTorch uses expm1).
 *
 * <pre>{@code
 * Module act = new ELU(0.5);
 * }</pre>
 */
public final class ELU extends Activation {

    public ELU() {
        this(1);
    }

    public ELU(double alpha) {
        super("ELU(alpha=" + alpha + ")", x -> {
            Tensor zero = Tensor.scalar(0, x.dtype());
            Tensor positive = x.gt(zero);
            Tensor t = Tensor.where(positive, zero, x).mul(0.5).tanh();
            return Tensor.where(positive, x, t.mul(2 * alpha).div(t.neg().add(1)));
        });
    }
}
