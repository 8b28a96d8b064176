package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.Generator;
import java.util.Arrays;

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

    /** Shuffles {@code data} with {@code g} and cuts it into parts of the given fractions (the last takes the rest). */
    public static TensorDataset[] split(TensorDataset data, double[] fractions, Generator g) {
        double total = 0;
        for (double f : fractions) {
            if (!(f >= 0)) {
                throw new IllegalArgumentException("Splits.split: fractions must be >= 0, got " + f);
            }
            total += f;
        }
        if (fractions.length == 0 || Math.abs(total - 1) > 1e-9) {
            throw new IllegalArgumentException("Splits.split: fractions " + Arrays.toString(fractions) + " must add up to 1");
        }
        int n = data.size();
        Batch shuffled = data.batch(DataLoader.permutation(n, g));
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
}
