package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/** {@code max(x, 0)}, elementwise. */
public final class ReLU extends Activation {

    public ReLU() {
        super("ReLU()", Tensor::relu);
    }
}
