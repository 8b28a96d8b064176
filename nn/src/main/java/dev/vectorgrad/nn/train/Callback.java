package dev.vectorgrad.nn.train;

import java.util.Map;

/**
 * Hooks into {@link Model#fit}, as Keras's callbacks: each does nothing unless overridden. Epochs and
 * batches count from 1. Logs map Keras's keys to values: {@code loss}, the metrics by name, and after an
 * epoch with validation data {@code val_loss}, {@code val_accuracy}, ...; a batch's logs hold the running
 * means of the epoch so far. A hook stops training with {@link Model#stopTraining()}: {@code fit} returns
 * after the current batch (from {@link #onBatchEnd}) or epoch (from {@link #onEpochEnd}).
 *
 * <pre>{@code
 * Callback stopAt99 = new Callback() {
 *     public void onEpochEnd(Model m, int epoch, Map<String, Double> logs) { if (logs.get("accuracy") > 0.99) m.stopTraining(); }
 * };
 * }</pre>
 */
public interface Callback {

    /** Before the first epoch; {@code params} says how long training will take. */
    default void onTrainBegin(Model model, FitParams params) {
    }

    /** Before epoch {@code epoch}'s first batch. */
    default void onEpochBegin(Model model, int epoch) {
    }

    /** After batch {@code batch} of the current epoch's training pass, with the epoch's running logs. */
    default void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
    }

    /** After epoch {@code epoch}, training and validation, with its logs (also in the {@link History}). */
    default void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    }

    /** After the last epoch (or the one in which training was stopped), with that epoch's logs. */
    default void onTrainEnd(Model model, Map<String, Double> logs) {
    }
}
