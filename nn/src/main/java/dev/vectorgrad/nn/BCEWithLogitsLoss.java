package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;

/**
 * Binary cross-entropy of {@code sigmoid(x)} against targets {@code t} in [0, 1], as PyTorch's, from the
 * logits without overflow: {@code w ((1 - t) x + (1 + (posWeight - 1) t) softplus(-x))} with
 * {@code softplus(-x) = max(-x, 0) + log(1 + exp(-|x|))}. {@code weight} rescales each element;
 * {@code posWeight} (one per class, broadcast along the last axis) weighs the positive term.
 *
 * <pre>{@code
 * Tensor loss = new BCEWithLogitsLoss().forward(logits, targets);
 * Tensor rare = new BCEWithLogitsLoss(Reduction.MEAN, null, NDArray.full(DType.FLOAT32, 9, classes)).forward(logits, targets);
 * }</pre>
 */
public final class BCEWithLogitsLoss extends Loss {

    private final NDArray weight;
    private final NDArray posWeight;

    public BCEWithLogitsLoss() {
        this(Reduction.MEAN, null, null);
    }

    public BCEWithLogitsLoss(Reduction reduction) {
        this(reduction, null, null);
    }

    /** {@code weight} and {@code posWeight} may each be null. */
    public BCEWithLogitsLoss(Reduction reduction, NDArray weight, NDArray posWeight) {
        super(reduction);
        this.weight = weight;
        this.posWeight = posWeight;
    }

    @Override
    public Tensor forward(Tensor x, Tensor t) {
        sameShape(x, t);
        broadcastsTo("weight", weight, x.shape());
        broadcastsTo("posWeight", posWeight, x.shape());
        Tensor softplusNeg = x.neg().relu().add(x.abs().neg().exp().log1p());
        Tensor positive = posWeight == null ? softplusNeg
                : t.mul(Tensor.of(posWeight.to(x.dtype())).sub(1)).add(1).mul(softplusNeg);
        Tensor losses = t.neg().add(1).mul(x).add(positive);
        return reduce(weight == null ? losses : losses.mul(Tensor.of(weight.to(x.dtype()))));
    }
}
