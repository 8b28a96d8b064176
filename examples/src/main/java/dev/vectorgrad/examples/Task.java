package dev.vectorgrad.examples;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.BCEWithLogitsLoss;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.MSELoss;
import dev.vectorgrad.nn.data.TensorDataset;
import dev.vectorgrad.nn.train.Metric;

/**
 * What a model's output means: class scores (one logit per class, cross-entropy), one logit for a
 * two-class problem (binary cross-entropy on logits), or a real value (mean squared error). It decides the
 * loss, the metrics, the shape of the targets and how a prediction is printed.
 */
enum Task {
    MULTICLASS, BINARY, REGRESSION;

    /** Output columns of the model for a data set of {@code classes} classes (0: regression). */
    int outputs(int classes) {
        return this == MULTICLASS ? classes : 1;
    }

    Loss loss() {
        return switch (this) {
            case MULTICLASS -> new CrossEntropyLoss();
            case BINARY -> new BCEWithLogitsLoss();
            case REGRESSION -> new MSELoss();
        };
    }

    Metric[] metrics() {
        return switch (this) {
            case MULTICLASS -> new Metric[] {Metric.accuracy()};
            case BINARY -> new Metric[] {Metric.accuracy(), Metric.precision(), Metric.recall(), Metric.f1()};
            case REGRESSION -> new Metric[] {Metric.meanAbsoluteError()};
        };
    }

    /** The metric drawn beside the loss in the learning curves and printed for the test split. */
    String mainMetric() {
        return this == REGRESSION ? "mae" : "accuracy";
    }

    /** Targets as the loss wants them: class indices for cross-entropy, a {@code [n, 1]} column otherwise. */
    TensorDataset targetsShaped(TensorDataset d) {
        return this == MULTICLASS ? d : new TensorDataset(d.x(), d.y().reshape(-1, 1));
    }

    /** Whether a data set of {@code classes} classes (0: real-valued targets) suits this task; else why not. */
    String mismatch(int classes) {
        return switch (this) {
            case MULTICLASS -> classes >= 2 ? null : "a classification data set (class labels)";
            case BINARY -> classes == 2 ? null : "a two-class data set";
            case REGRESSION -> classes == 0 ? null : "a regression data set (real-valued targets)";
        };
    }

    /** One line per row of {@code output}: the predicted class, or the predicted value. */
    String describe(NDArray output, int row) {
        if (this == REGRESSION) {
            return Float.toString(output.reshape(-1).toFloatArray()[row]);
        }
        return Integer.toString((int) Metric.classes(output.slice(0, row, row + 1), 0).item());
    }
}
