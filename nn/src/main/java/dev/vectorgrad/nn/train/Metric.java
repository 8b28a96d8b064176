package dev.vectorgrad.nn.train;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;

/**
 * A score over a whole pass, accumulated batch by batch: Keras's {@code metrics=['accuracy']}. The
 * factories below cover classification (accuracy, top-k, precision, recall, F1, binary and macro) and
 * regression (MSE, MAE); the name is the key in the logs and the {@link History}.
 *
 * <p>A classifier's output is turned into classes by {@link #classes}: the index of the largest column,
 * or, for a single column, 1 where the output exceeds a threshold (0 for logits, the default, or 0.5 for
 * probabilities after a sigmoid). Targets are class indices, one per row, or one-hot/probability rows.
 *
 * <pre>{@code
 * Metric acc = Metric.accuracy();
 * acc.reset(); acc.update(logits, labels); acc.result();
 * }</pre>
 */
public interface Metric {

    String name();

    void reset();

    /** Adds a batch: the model's output and the targets. */
    void update(NDArray output, NDArray target);

    /** The score over everything added since {@link #reset()}; NaN before anything was added. */
    double result();

    /** The share of rows whose predicted class (see {@link #classes}, threshold 0) is the target. */
    static Metric accuracy() {
        return binaryAccuracy(0);
    }

    /** Accuracy with a single output column read as a probability-like score cut at {@code threshold} (Keras's BinaryAccuracy). */
    static Metric binaryAccuracy(double threshold) {
        return new MeanMetric("accuracy", (output, target) -> classes(output, threshold).eq(targetClasses(target, output)));
    }

    /** The share of rows whose target class is among the {@code k} largest outputs (ties count in). */
    static Metric topKAccuracy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Metric.topKAccuracy: k must be at least 1, got " + k);
        }
        return new MeanMetric("top" + k + "_accuracy", (output, target) -> {
            NDArray scores = output.reshape(output.size(0), -1);
            NDArray targetScore = scores.gather(1, targetClasses(target, output).reshape(-1, 1));
            return scores.gt(targetScore).sum(new int[] {1}, false).lt(k);
        });
    }

    /** Binary precision of class 1, {@code tp / (tp + fp)}, 0 when nothing is predicted positive; logits cut at 0. */
    static Metric precision() {
        return precision(0);
    }

    static Metric precision(double threshold) {
        return new ConfusionMetric("precision", 2, threshold, c -> c.precision(1));
    }

    /** Binary recall of class 1, {@code tp / (tp + fn)}, 0 when there is no positive; logits cut at 0. */
    static Metric recall() {
        return recall(0);
    }

    static Metric recall(double threshold) {
        return new ConfusionMetric("recall", 2, threshold, c -> c.recall(1));
    }

    /** Binary F1 of class 1, the harmonic mean of precision and recall (0 when both are 0); logits cut at 0. */
    static Metric f1() {
        return f1(0);
    }

    static Metric f1(double threshold) {
        return new ConfusionMetric("f1", 2, threshold, c -> c.f1(1));
    }

    /** The unweighted mean of the per-class precisions over {@code classes} classes (scikit-learn's average='macro'). */
    static Metric macroPrecision(int classes) {
        return new ConfusionMetric("macro_precision", classes, 0, ConfusionMatrix::macroPrecision);
    }

    static Metric macroRecall(int classes) {
        return new ConfusionMetric("macro_recall", classes, 0, ConfusionMatrix::macroRecall);
    }

    /** The mean of the per-class F1 scores (not the F1 of the macro precision and recall). */
    static Metric macroF1(int classes) {
        return new ConfusionMetric("macro_f1", classes, 0, ConfusionMatrix::macroF1);
    }

    /** The mean of {@code (output - target)^2} over every element. */
    static Metric meanSquaredError() {
        return new MeanMetric("mse", (output, target) -> {
            NDArray d = difference(output, target, "mse");
            return d.mul(d);
        });
    }

    /** The mean of {@code |output - target|} over every element. */
    static Metric meanAbsoluteError() {
        return new MeanMetric("mae", (output, target) -> difference(output, target, "mae").abs());
    }

    /**
     * The predicted class of each row of {@code output}: the index of its largest column, or for a single
     * column (a {@code [n]} or {@code [n, 1]} output) 1 where the value exceeds {@code threshold}, else 0.
     */
    static NDArray classes(NDArray output, double threshold) {
        if (output.dim() == 2 && output.size(1) > 1) {
            return output.argmax(1, false);
        }
        return output.reshape(-1).gt(threshold).to(output.dtype());
    }

    private static NDArray targetClasses(NDArray target, NDArray output) {
        NDArray classes = target.dim() == 2 && target.size(1) > 1 ? target.argmax(1, false) : target.reshape(-1);
        return classes.to(output.dtype());
    }

    private static NDArray difference(NDArray output, NDArray target, String name) {
        if (output.numel() != target.numel()) {
            throw new IllegalArgumentException(name + ": output of shape " + Shape.format(output.shape())
                    + " and target of shape " + Shape.format(target.shape()) + " differ in size");
        }
        return output.reshape(-1).to(DType.FLOAT64).sub(target.reshape(-1).to(DType.FLOAT64));
    }
}
