package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * Cross-entropy of logits {@code [batch, classes]} against class indices {@code [batch]} or class
 * probabilities {@code [batch, classes]}, from logSoftmax (finite for logits of 1000), with PyTorch's
 * options: class weights, an ignored index, label smoothing.
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
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("CrossEntropyLoss: logits must be [batch, classes], got "
                    + Shape.format(logits.shape()));
        }
        int classes = logits.size(1);
        if (weight != null && !Arrays.equals(weight.shape(), new int[] {classes})) {
            throw new IllegalArgumentException("CrossEntropyLoss: weight of shape " + Shape.format(weight.shape())
                    + " for " + classes + " classes");
        }
        Tensor logP = logits.logSoftmax(1);
        Tensor w = weight == null ? null : Tensor.of(weight.to(logits.dtype()));
        if (Arrays.equals(target.shape(), logits.shape())) {
            return probabilities(logP, target, w, classes);
        }
        if (target.dim() != 1 || target.size(0) != logits.size(0)) {
            throw new IllegalArgumentException("CrossEntropyLoss: target of shape " + Shape.format(target.shape())
                    + " is neither class indices [" + logits.size(0) + "] nor probabilities "
                    + Shape.format(logits.shape()));
        }
        return indices(logP, target, w, classes);
    }

    /** PyTorch's formula for index targets: smoothing mixes in the mean over classes; weights divide the mean. */
    private Tensor indices(Tensor logP, Tensor target, Tensor w, int classes) {
        NDArray labels = target.value().to(logP.dtype());
        NDArray keep = labels.ne(ignoreIndex);
        NDArray safe = NDArray.where(keep, labels, NDArray.zeros(logP.dtype(), labels.shape()));
        double[] values = labels.toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != ignoreIndex && (values[i] < 0 || values[i] >= classes || values[i] != Math.rint(values[i]))) {
                throw new IllegalArgumentException("CrossEntropyLoss: label " + values[i] + " at row " + i
                        + " is not a class index in [0, " + classes + ")");
            }
        }
        Tensor idx = Tensor.of(safe.unsqueeze(1));
        Tensor picked = logP.gather(1, idx).squeeze(1).neg();
        Tensor rowWeight = w == null ? Tensor.of(keep) : w.indexSelect(0, Tensor.of(safe)).mul(Tensor.of(keep));
        Tensor nll = picked.mul(rowWeight);
        if (labelSmoothing > 0) {
            Tensor all = w == null ? logP.neg().sum(1) : logP.neg().mul(w).sum(1);
            Tensor smooth = all.mul(Tensor.of(keep)).div(classes);
            nll = nll.mul(1 - labelSmoothing).add(smooth.mul(labelSmoothing));
        }
        return switch (reduction) {
            case MEAN -> nll.sum().div(rowWeight.sum());
            case SUM -> nll.sum();
            case NONE -> nll;
        };
    }

    private Tensor probabilities(Tensor logP, Tensor target, Tensor w, int classes) {
        Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
        Tensor terms = logP.mul(t).neg();
        if (w != null) {
            terms = terms.mul(w);
        }
        Tensor perRow = terms.sum(1);
        return reduce(perRow);
    }
}
