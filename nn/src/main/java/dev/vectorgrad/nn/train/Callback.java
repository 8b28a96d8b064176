package dev.vectorgrad.nn.train;

import java.util.Map;

/**
 * Hooks into {@link Model#fit}: called after each epoch with that epoch's logs ({@code loss},
 * {@code val_accuracy}, ...). Returning {@code false} from {@link #onEpochEnd} stops training.
 *
 * <pre>{@code
 * Callback print = (epoch, logs) -> { System.out.println(epoch + " " + logs); return true; };
 * }</pre>
 */
@FunctionalInterface
public interface Callback {

    /** Called after epoch {@code epoch} (from 1); false stops training. */
    boolean onEpochEnd(int epoch, Map<String, Double> logs);
}
