package dev.vectorgrad.nn.train;

import dev.vectorgrad.engine.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when the monitored value has not improved by more than {@code minDelta} for
 * {@code patience} epochs, as Keras's EarlyStopping. With {@code restoreBestWeights}, the module gets back
 * the parameters and buffers of its best epoch when training ends.
 *
 * <pre>{@code
 * EarlyStopping early = new EarlyStopping("val_loss", 0, 5, MonitorMode.AUTO, true);
 * model.fit(train, FitOptions.defaults().epochs(100).validationSplit(0.2).callbacks(early));
 * }</pre>
 */
public final class EarlyStopping implements Callback {

    private final Monitor monitor;
    private final double minDelta;
    private final int patience;
    private final boolean restoreBestWeights;
    private double best;
    private int wait;
    private int bestEpoch;
    private int stoppedEpoch;
    private Map<String, NDArray> bestState;

    public EarlyStopping(String monitor, double minDelta, int patience, MonitorMode mode, boolean restoreBestWeights) {
        if (!(minDelta >= 0) || patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: minDelta and patience must be >= 0, got " + minDelta
                    + " and " + patience);
        }
        this.monitor = new Monitor(monitor, mode);
        this.minDelta = minDelta;
        this.patience = patience;
        this.restoreBestWeights = restoreBestWeights;
    }

    /** Watches {@code monitor} in the direction its name suggests, without restoring weights. */
    public EarlyStopping(String monitor, int patience) {
        this(monitor, 0, patience, MonitorMode.AUTO, false);
    }

    @Override
    public void onTrainBegin(Model model, FitParams params) {
        best = monitor.worst();
        wait = 0;
        bestEpoch = 0;
        stoppedEpoch = 0;
        bestState = null;
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        double current = monitor.value(logs, "EarlyStopping");
        wait++;
        if (monitor.improves(current, best, minDelta)) {
            best = current;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                bestState = copy(model.module().stateDict());
            }
        } else if (wait >= patience && epoch > 1) {
            stoppedEpoch = epoch;
            model.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(Model model, Map<String, Double> logs) {
        if (bestState != null) {
            model.module().loadStateDict(bestState, true);
        }
    }

    private static Map<String, NDArray> copy(Map<String, NDArray> state) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    /** The best value seen so far. */
    public double best() {
        return best;
    }

    /** The epoch (from 1) of the best value, 0 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The epoch in which this callback stopped training, or 0 if it did not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
