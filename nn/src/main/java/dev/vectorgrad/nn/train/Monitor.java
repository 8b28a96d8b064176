package dev.vectorgrad.nn.train;

import java.util.Map;

/** A log key watched for improvement, shared by {@link EarlyStopping} and {@link ModelCheckpoint}. */
record Monitor(String key, MonitorMode mode) {

    Monitor {
        mode = mode.resolve(key);
    }

    /** The monitored value in {@code logs}; a missing key is an error that lists the keys there are. */
    double value(Map<String, Double> logs, String who) {
        Double v = logs.get(key);
        if (v == null) {
            throw new IllegalStateException(who + ": the logs have no '" + key + "' to monitor; they have " + logs.keySet()
                    + (key.startsWith("val_") ? " (no validation data given to fit?)" : ""));
        }
        return v;
    }

    /** The starting point that any value improves on. */
    double worst() {
        return mode == MonitorMode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Whether {@code current} beats {@code best} by more than {@code minDelta}. */
    boolean improves(double current, double best, double minDelta) {
        return mode == MonitorMode.MIN ? current + minDelta < best : current - minDelta > best;
    }
}
