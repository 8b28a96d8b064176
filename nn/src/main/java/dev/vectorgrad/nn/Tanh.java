package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/** {@code tanh(x)}, elementwise. */
public final class Tanh extends Activation {

    public Tanh() {
        super("Tanh()", Tensor::tanh);
    }
}
