package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;

/**
 * Seeded random splits of a dataset into consecutive parts of given fractions.
 *
 * <pre>{@code
 * TensorDataset[] parts = Splits.split(data, new double[] {0.7, 0.15, 0.15}, new Generator(0));
 * }</pre>
 */
public final class Splits {

    private Splits() {
    }

    public static TensorDataset[] split(TensorDataset data, double[] fractions, Generator g) {
        int n = data.size();
        int[] order = DataLoader.permutation(n, g);
        Batch shuffled = data.batch(order);
        TensorDataset all = new TensorDataset(shuffled.x(), shuffled.y());
        TensorDataset[] parts = new TensorDataset[fractions.length];
        int from = 0;
        double cumulative = 0;
        for (int i = 0; i < fractions.length; i++) {
            cumulative += fractions[i];
            int to = i == fractions.length - 1 ? n : (int) Math.round(cumulative * n);
            parts[i] = all.range(from, to);
            from = to;
        }
        return parts;
    }

    /** Column means and standard deviations of {@code x} (fitted on training data only), and their use. */
    public record Standardizer(NDArray mean, NDArray std) {

        public static Standardizer fit(NDArray x) {
            NDArray std = x.std(new int[] {0}, false, 0);
            // Constant columns (the digits' always-blank corner pixels) keep their scale instead of dividing by 0.
            return new Standardizer(x.mean(0), NDArray.where(std.gt(0), std, NDArray.ones(std.dtype(), std.shape())));
        }

        public NDArray transform(NDArray x) {
            return x.sub(mean).div(std);
        }
    }
}
