package dev.vectorgrad.nn.train;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import java.util.function.BinaryOperator;

/** A metric that is the mean of a per-row or per-element value (1/0 for accuracy, a squared error for MSE). */
final class MeanMetric implements Metric {

    private final String name;
    private final BinaryOperator<NDArray> values;
    private double sum;
    private long count;

    MeanMetric(String name, BinaryOperator<NDArray> values) {
        this.name = name;
        this.values = values;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void reset() {
        sum = 0;
        count = 0;
    }

    @Override
    public void update(NDArray output, NDArray target) {
        NDArray v = values.apply(output, target);
        sum += v.to(DType.FLOAT64).sum().item();
        count += v.numel();
    }

    @Override
    public double result() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
