package dev.vectorgrad.nn.train;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Counts of (actual class, predicted class) pairs, rows actual and columns predicted as in
 * scikit-learn, and the per-class and macro-averaged precision, recall and F1 read off them. A ratio
 * whose denominator is 0 (a class never predicted, or never present) counts as 0, as scikit-learn's
 * {@code zero_division=0}.
 *
 * <pre>{@code
 * ConfusionMatrix cm = ConfusionMatrix.of(model.predict(test.x(), 256), test.y(), 10);
 * System.out.println(cm);   // the table, then per-class precision, recall, F1
 * }</pre>
 */
public final class ConfusionMatrix {

    private final long[][] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("ConfusionMatrix: needs at least 2 classes, got " + classes);
        }
        counts = new long[classes][classes];
    }

    /** The matrix of a model's {@code output} against {@code target}; a single output column is cut at 0 (logits). */
    public static ConfusionMatrix of(NDArray output, NDArray target, int classes) {
        ConfusionMatrix m = new ConfusionMatrix(classes);
        m.update(output, target, 0);
        return m;
    }

    public int classes() {
        return counts.length;
    }

    public void reset() {
        for (long[] row : counts) {
            Arrays.fill(row, 0);
        }
    }

    /** Adds a batch: the classes predicted from {@code output} (see {@link Metric#classes}) against the target classes. */
    public void update(NDArray output, NDArray target, double threshold) {
        double[] predicted = Metric.classes(output, threshold).to(DType.FLOAT64).toDoubleArray();
        NDArray t = target.dim() == 2 && target.size(1) > 1 ? target.argmax(1, false) : target.reshape(-1);
        double[] actual = t.to(DType.FLOAT64).toDoubleArray();
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("ConfusionMatrix: output of shape " + Shape.format(output.shape())
                    + " and target of shape " + Shape.format(target.shape()) + " have different numbers of rows");
        }
        for (int i = 0; i < actual.length; i++) {
            counts[index(actual[i], "target")][index(predicted[i], "predicted")]++;
        }
    }

    private int index(double c, String what) {
        if (!(c >= 0 && c < counts.length && c == Math.rint(c))) {
            throw new IllegalArgumentException("ConfusionMatrix: " + what + " class " + c + " is not in 0.." + (counts.length - 1));
        }
        return (int) c;
    }

    /** How many samples of class {@code actual} were predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    public long total() {
        return IntStream.range(0, counts.length).mapToLong(this::actual).sum();
    }

    /** The samples whose target is class {@code c}. */
    private long actual(int c) {
        long s = 0;
        for (long v : counts[c]) {
            s += v;
        }
        return s;
    }

    /** The samples predicted as class {@code c}. */
    private long predicted(int c) {
        long s = 0;
        for (long[] row : counts) {
            s += row[c];
        }
        return s;
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }

    public double accuracy() {
        return ratio(IntStream.range(0, counts.length).mapToLong(c -> counts[c][c]).sum(), total());
    }

    public double precision(int c) {
        return ratio(counts[c][c], predicted(c));
    }

    public double recall(int c) {
        return ratio(counts[c][c], actual(c));
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double macroPrecision() {
        return IntStream.range(0, counts.length).mapToDouble(this::precision).average().orElseThrow();
    }

    public double macroRecall() {
        return IntStream.range(0, counts.length).mapToDouble(this::recall).average().orElseThrow();
    }

    public double macroF1() {
        return IntStream.range(0, counts.length).mapToDouble(this::f1).average().orElseThrow();
    }

    /** The table (rows actual, columns predicted), then each class's precision, recall and F1. */
    @Override
    public String toString() {
        int width = Math.max(5, Long.toString(total()).length() + 1);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-11s", "actual\\pred"));
        for (int c = 0; c < counts.length; c++) {
            b.append(String.format(Locale.ROOT, "%" + width + "d", c));
        }
        b.append(String.format(Locale.ROOT, "%12s%9s%9s\n", "precision", "recall", "f1"));
        for (int a = 0; a < counts.length; a++) {
            b.append(String.format(Locale.ROOT, "%-11d", a));
            for (long v : counts[a]) {
                b.append(String.format(Locale.ROOT, "%" + width + "d", v));
            }
            b.append(String.format(Locale.ROOT, "%12.4f%9.4f%9.4f\n", precision(a), recall(a), f1(a)));
        }
        return b.toString();
    }
}
