package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * How a loss combines its per-element values, as PyTorch's {@code reduction} argument. {@code BATCHMEAN}
 * (the sum divided by the size of the first axis) is for {@link KLDivLoss} only, as in PyTorch.
 */
public enum Reduction {
    MEAN, SUM, NONE, BATCHMEAN;

    Tensor apply(Tensor perElement) {
        return switch (this) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
            case BATCHMEAN -> perElement.dim() == 0 ? perElement.sum() : perElement.sum().div(perElement.size(0));
        };
    }
}
