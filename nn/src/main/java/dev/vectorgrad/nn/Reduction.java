package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/** How a loss combines its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    MEAN, SUM, NONE;

    Tensor apply(Tensor perElement) {
        return switch (this) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }
}
