package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/** {@code 1 / (1 + exp(-x))}, elementwise. */
public final class Sigmoid extends Activation {

    public Sigmoid() {
        super("Sigmoid()", Tensor::sigmoid);
    }
}
