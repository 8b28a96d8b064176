package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Fused;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * The class axis as PyTorch's CrossEntropyLoss and NLLLoss see it: inputs {@code [classes]},
 * {@code [batch, classes]} or {@code [batch, classes, d1, ...]}, targets of the input's shape without the
 * class axis (indices) or of its shape (probabilities). Both losses work on rows {@code [M, classes]} with
 * the class axis moved last, and give unreduced losses back in the target's shape.
 */
final class ClassTargets {

    private final String loss;
    private final int[] inputShape;
    private final int classes;

    ClassTargets(String loss, Tensor input, NDArray weight) {
        if (input.dim() == 0) {
            throw new IllegalArgumentException(loss + ": input must be [classes], [batch, classes] or [batch, classes, d1, ...], got []");
        }
        this.loss = loss;
        this.inputShape = input.shape();
        this.classes = input.size(input.dim() == 1 ? 0 : 1);
        if (weight != null && !Arrays.equals(weight.shape(), new int[] {classes})) {
            throw new IllegalArgumentException(loss + ": weight of shape " + Shape.format(weight.shape()) + " for " + classes + " classes");
        }
    }

    int classes() {
        return classes;
    }

    /** True for a target of the input's shape (probabilities), false for indices; throws for anything else. */
    boolean probabilities(Tensor target) {
        if (Arrays.equals(target.shape(), inputShape)) {
            return true;
        }
        if (!Arrays.equals(target.shape(), indexShape())) {
            throw new IllegalArgumentException(loss + ": target of shape " + Shape.format(target.shape())
                    + " is neither class indices " + Shape.format(indexShape()) + " nor probabilities " + Shape.format(inputShape));
        }
        return false;
    }

    /** The input's shape without the class axis: index targets' and unreduced losses' shape. */
    int[] indexShape() {
        if (inputShape.length == 1) {
            return new int[0];
        }
        int[] s = new int[inputShape.length - 1];
        s[0] = inputShape[0];
        System.arraycopy(inputShape, 2, s, 1, s.length - 1);
        return s;
    }

    /** {@code t} (of the input's shape) as rows {@code [M, classes]}, the class axis last. */
    Tensor rows(Tensor t) {
        if (t.dim() <= 2) {
            return t.dim() == 1 ? t.unsqueeze(0) : t;
        }
        int[] dims = new int[t.dim()];
        for (int d = 0; d < dims.length - 1; d++) {
            dims[d] = d == 0 ? 0 : d + 1;
        }
        dims[dims.length - 1] = 1;
        return t.permute(dims).reshape(-1, classes);
    }

    /** Per-row losses {@code [M]} reduced, or (NONE) in the index shape. */
    Tensor reduce(Tensor perRow, Reduction reduction, Tensor meanDivisor) {
        return switch (reduction) {
            case MEAN -> meanDivisor == null ? perRow.mean() : perRow.sum().div(meanDivisor);
            case SUM -> perRow.sum();
            case NONE -> perRow.reshape(indexShape());
            case BATCHMEAN -> throw new IllegalStateException(loss + ": BATCHMEAN");
        };
    }

    /**
     * PyTorch's negative log-likelihood of index targets from log-probabilities {@code logP} (input layout):
     * {@code -w[y] logP[y]} per element, zero where the target is {@code ignoreIndex}; MEAN divides by the
     * summed {@code w[y]} of the kept elements.
     */
    Tensor nll(Tensor logP, Tensor target, NDArray weight, int ignoreIndex, Reduction reduction) {
        double[] values = labels(target, ignoreIndex);
        NDArray labels = NDArray.of(values, values.length).to(logP.dtype());
        NDArray keep = labels.ne(ignoreIndex);
        NDArray safe = NDArray.where(keep, labels, NDArray.zeros(logP.dtype(), labels.shape()));
        Tensor picked = rows(logP).gather(1, Tensor.of(safe.unsqueeze(1))).squeeze(1).neg();
        NDArray rowWeight = weight == null ? keep : weight.to(logP.dtype()).indexSelect(0, safe).mul(keep);
        return reduce(picked.mul(Tensor.of(rowWeight)), reduction, Tensor.of(rowWeight.sum()));
    }

    /**
     * Cross-entropy of index targets, PyTorch's formula: {@code -w[y] logP[y]} per element, zero where the
     * target is {@code ignoreIndex}; label smoothing {@code e} mixes in {@code -e/classes sum_c w[c] logP[c]};
     * MEAN divides by the summed {@code w[y]} of the kept elements. All of it is one target distribution per
     * row, {@code (onehot(y) (1 - e) + e / classes) w} (zero for an ignored row), for the fused
     * softmax-cross-entropy op; the rows are built in one loop over the labels, which are read anyway.
     */
    Tensor crossEntropy(Tensor logits, Tensor target, NDArray weight, int ignoreIndex, double labelSmoothing,
                        Reduction reduction) {
        double[] labels = labels(target, ignoreIndex);
        double[] w = weight == null ? null : weight.toDoubleArray();
        double[] distribution = new double[labels.length * classes];
        double kept = 0;
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] == ignoreIndex) {
                continue;
            }
            int y = (int) labels[r];
            for (int c = 0; c < classes; c++) {
                distribution[r * classes + c] = labelSmoothing / classes * (w == null ? 1 : w[c]);
            }
            double wy = w == null ? 1 : w[y];
            distribution[r * classes + y] += (1 - labelSmoothing) * wy;
            kept += wy;
        }
        Tensor t = Tensor.of(NDArray.of(distribution, labels.length, classes).to(logits.dtype()));
        Tensor perRow = Fused.softmaxCrossEntropy(rows(logits), t);
        return reduce(perRow, reduction, Tensor.scalar(kept, logits.dtype()));
    }

    /** The targets as a flat array of class indices, each checked to be a class or {@code ignoreIndex}. */
    private double[] labels(Tensor target, int ignoreIndex) {
        double[] values = target.value().toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != ignoreIndex && (values[i] < 0 || values[i] >= classes || values[i] != Math.rint(values[i]))) {
                throw new IllegalArgumentException(loss + ": target " + values[i] + " at flat position " + i
                        + " is not a class index in [0, " + classes + ")");
            }
        }
        return values;
    }
}
