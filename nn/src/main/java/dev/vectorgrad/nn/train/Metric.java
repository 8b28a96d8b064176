package dev.vectorgrad.nn.train;

import dev.vectorgrad.engine.NDArray;

/**
 * A score over a whole pass, accumulated batch by batch: Keras's {@code metrics=['accuracy']}.
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

    double result();

    /** The share of rows whose largest output is the target class (or, with one output, whose sign matches a 0/1 target). */
    static Metric accuracy() {
        return new Metric() {
            private long correct;
            private long total;

            @Override
            public String name() {
                return "accuracy";
            }

            @Override
            public void reset() {
                correct = 0;
                total = 0;
            }

            @Override
            public void update(NDArray output, NDArray target) {
                NDArray predicted = output.dim() == 2 && output.size(1) > 1 ? output.argmax(1, false)
                        : output.reshape(-1).gt(0);
                correct += (long) predicted.eq(target.reshape(-1).to(predicted.dtype())).sum().item();
                total += predicted.numel();
            }

            @Override
            public double result() {
                return total == 0 ? Double.NaN : (double) correct / total;
            }
        };
    }
}
