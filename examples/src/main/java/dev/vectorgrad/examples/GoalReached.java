package dev.vectorgrad.examples;

import dev.vectorgrad.nn.train.Callback;
import dev.vectorgrad.nn.train.Model;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * A custom callback, as Keras's guide writes one: stops training at the end of the first epoch whose
 * {@code monitor} reaches {@code goal} (at least it, or at most it for a loss), and says so. Only the hook
 * it needs is overridden; {@link Model#stopTraining()} ends the fit.
 *
 * <pre>{@code
 * model.fit(train, FitOptions.defaults().epochs(200).validationSplit(0.2).callbacks(new GoalReached("val_accuracy", 0.95, System.out)));
 * }</pre>
 */
final class GoalReached implements Callback {

    private final String monitor;
    private final double goal;
    private final PrintStream log;
    private int epoch;

    GoalReached(String monitor, double goal, PrintStream log) {
        this.monitor = monitor;
        this.goal = goal;
        this.log = log;
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalStateException("GoalReached: the logs have no '" + monitor + "'; they have " + logs.keySet());
        }
        if ((monitor.endsWith("loss") ? v <= goal : v >= goal)) {
            this.epoch = epoch;
            log.printf(Locale.ROOT, "epoch %d: %s %.4f reached the goal %s; stopping%n", epoch, monitor, v, goal);
            model.stopTraining();
        }
    }

    /** The epoch that reached the goal, or 0. */
    int epoch() {
        return epoch;
    }
}
