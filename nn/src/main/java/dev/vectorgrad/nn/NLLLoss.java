package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * Negative log-likelihood of log-probabilities {@code [batch, classes]} ({@code [classes]}, or
 * {@code [batch, classes, d1, ...]}) against class indices of the input's shape without the class axis:
 * {@code -weight[y] input[y]}, zero where the target is {@code ignoreIndex}; MEAN is PyTorch's weighted
 * mean, divided by the summed weights of the kept targets. With {@link LogSoftmax} it is
 * {@link CrossEntropyLoss}.
 *
 * <pre>{@code
 * Tensor loss = new NLLLoss().forward(logits.logSoftmax(1), labels);
 * Tensor weighted = new NLLLoss(Reduction.MEAN, classWeights, -100).forward(logP, labels);
 * }</pre>
 */
public final class NLLLoss extends Loss {

    private final NDArray weight;
    private final int ignoreIndex;

    public NLLLoss() {
        this(Reduction.MEAN, null, -100);
    }

    /** {@code weight} {@code [classes]} may be null (all ones). */
    public NLLLoss(Reduction reduction, NDArray weight, int ignoreIndex) {
        super(reduction);
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor logP, Tensor target) {
        ClassTargets c = new ClassTargets("NLLLoss", logP, weight);
        if (!Arrays.equals(target.shape(), c.indexShape())) {
            throw new IllegalArgumentException("NLLLoss: target of shape " + Shape.format(target.shape())
                    + " is not class indices " + Shape.format(c.indexShape()) + " for the input " + Shape.format(logP.shape()));
        }
        return c.nll(logP, target, weight, ignoreIndex, reduction);
    }
}
