package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Fused;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;

/**
 * Binary cross-entropy of probabilities: {@code -w (t log p + (1 - t) log(1 - p))}, each log clamped at
 * -100 as PyTorch does, so that a confident wrong answer gives a large finite loss. The optional
 * {@code weight} broadcasts to the input.
 *
 * <pre>{@code
 * Tensor loss = new BCELoss().forward(probabilities, targets);
 * }</pre>
 */
public final class BCELoss extends Loss {

    private final NDArray weight;

    public BCELoss() {
        this(Reduction.MEAN, null);
    }

    public BCELoss(Reduction reduction) {
        this(reduction, null);
    }

    /** {@code weight} (may be null) rescales each element's loss, as PyTorch's. */
    public BCELoss(Reduction reduction, NDArray weight) {
        super(reduction);
        this.weight = weight;
    }

    @Override
    public Tensor forward(Tensor p, Tensor t) {
        sameShape(p, t);
        broadcastsTo("weight", weight, p.shape());
        Tensor losses = Fused.binaryCrossEntropy(p, t);
        return reduce(weight == null ? losses : losses.mul(Tensor.of(weight.to(p.dtype()))));
    }
}
