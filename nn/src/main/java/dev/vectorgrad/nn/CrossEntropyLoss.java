package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Fused;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;

/**
 * Cross-entropy of logits {@code [batch, classes]} ({@code [classes]}, or {@code [batch, classes, d1, ...]}
 * for per-position classes) against class indices of the logits' shape without the class axis, or class
 * probabilities of the logits' shape, from logSoftmax (finite for logits of 1000), with PyTorch's options:
 * class weights, an ignored index, label smoothing. MEAN of index targets divides by the summed weights
 * of the kept targets; MEAN of probabilities by the number of rows.
 *
 * <pre>{@code
 * Tensor loss = new CrossEntropyLoss().forward(logits, labels);
 * Tensor smooth = new CrossEntropyLoss(Reduction.MEAN, null, -100, 0.1).forward(logits, labels);
 * }</pre>
 */
public final class CrossEntropyLoss extends Loss {

    private final NDArray weight;
    private final int ignoreIndex;
    private final double labelSmoothing;

    public CrossEntropyLoss() {
        this(Reduction.MEAN, null, -100, 0);
    }

    public CrossEntropyLoss(Reduction reduction, NDArray weight, int ignoreIndex, double labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        ClassTargets c = new ClassTargets("CrossEntropyLoss", logits, weight);
        if (!c.probabilities(target)) {
            return c.crossEntropy(logits, target, weight, ignoreIndex, labelSmoothing, reduction);
        }
        int classes = c.classes();
        Tensor t = c.rows(labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target);
        if (weight != null) {
            t = t.mul(Tensor.of(weight.to(logits.dtype())));
        }
        return c.reduce(Fused.softmaxCrossEntropy(c.rows(logits), t), reduction, null);
    }
}
