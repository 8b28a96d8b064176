package dev.vectorgrad.nn.train;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.nn.data.Dataset;
import java.util.List;

/**
 * The settings of {@link Model#fit}, with Keras's names and defaults: 1 epoch, batches of 32, shuffled
 * at every epoch, no validation. {@code validationSplit} holds out the last fraction of the training
 * data (before shuffling, as Keras does); {@code validationData} gives a separate set instead. Shuffling
 * draws from {@code generator} (a {@code new Generator(0)} per call when none is given), so a run repeats.
 *
 * <pre>{@code
 * FitOptions o = FitOptions.defaults().epochs(20).batchSize(64).validationSplit(0.2).callbacks(new EarlyStopping("val_loss", 3));
 * History h = model.fit(train, o);
 * }</pre>
 */
public record FitOptions(int epochs, int batchSize, double validationSplit, Dataset validationData, boolean shuffle,
                         Generator generator, boolean prefetch, List<Callback> callbacks) {

    public FitOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("FitOptions: epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("FitOptions: batch size must be at least 1, got " + batchSize);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("FitOptions: validation split must be in [0, 1), got " + validationSplit);
        }
        if (validationSplit > 0 && validationData != null) {
            throw new IllegalArgumentException("FitOptions: give validation data or a validation split, not both");
        }
        callbacks = List.copyOf(callbacks);
    }

    public static FitOptions defaults() {
        return new FitOptions(1, 32, 0, null, true, null, false, List.of());
    }

    public FitOptions epochs(int epochs) {
        return new FitOptions(epochs, batchSize, validationSplit, validationData, shuffle, generator, prefetch, callbacks);
    }

    public FitOptions batchSize(int batchSize) {
        return new FitOptions(epochs, batchSize, validationSplit, validationData, shuffle, generator, prefetch, callbacks);
    }

    public FitOptions validationSplit(double validationSplit) {
        return new FitOptions(epochs, batchSize, validationSplit, validationData, shuffle, generator, prefetch, callbacks);
    }

    public FitOptions validationData(Dataset validationData) {
        return new FitOptions(epochs, batchSize, validationSplit, validationData, shuffle, generator, prefetch, callbacks);
    }

    public FitOptions shuffle(boolean shuffle) {
        return new FitOptions(epochs, batchSize, validationSplit, validationData, shuffle, generator, prefetch, callbacks);
    }

    public FitOptions generator(Generator generator) {
        return new FitOptions(epochs, batchSize, validationSplit, validationData, shuffle, generator, prefetch, callbacks);
    }

    /** Assemble each next batch on a background thread (same batches, same order). */
    public FitOptions prefetch(boolean prefetch) {
        return new FitOptions(epochs, batchSize, validationSplit, validationData, shuffle, generator, prefetch, callbacks);
    }

    public FitOptions callbacks(Callback... callbacks) {
        return new FitOptions(epochs, batchSize, validationSplit, validationData, shuffle, generator, prefetch, List.of(callbacks));
    }

    public FitOptions callbacks(List<Callback> callbacks) {
        return new FitOptions(epochs, batchSize, validationSplit, validationData, shuffle, generator, prefetch, callbacks);
    }
}
