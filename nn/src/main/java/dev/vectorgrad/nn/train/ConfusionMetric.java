package dev.vectorgrad.nn.train;

import dev.vectorgrad.engine.NDArray;
import java.util.function.ToDoubleFunction;

/** A metric read off a confusion matrix accumulated over the pass: precision, recall, F1. */
final class ConfusionMetric implements Metric {

    private final String name;
    private final ConfusionMatrix matrix;
    private final double threshold;
    private final ToDoubleFunction<ConfusionMatrix> score;

    ConfusionMetric(String name, int classes, double threshold, ToDoubleFunction<ConfusionMatrix> score) {
        this.name = name;
        this.matrix = new ConfusionMatrix(classes);
        this.threshold = threshold;
        this.score = score;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void reset() {
        matrix.reset();
    }

    @Override
    public void update(NDArray output, NDArray target) {
        matrix.update(output, target, threshold);
    }

    @Override
    public double result() {
        return matrix.total() == 0 ? Double.NaN : score.applyAsDouble(matrix);
    }
}
