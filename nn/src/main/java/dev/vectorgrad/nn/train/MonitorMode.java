package dev.vectorgrad.nn.train;

/**
 * Whether a monitored value improves by going down ({@code MIN}, a loss) or up ({@code MAX}, an
 * accuracy); {@code AUTO} decides from the name as Keras does: up for names containing {@code acc},
 * {@code precision}, {@code recall}, {@code f1} or {@code auc}, down otherwise.
 *
 * <pre>{@code
 * new EarlyStopping("val_accuracy", 0.001, 5, MonitorMode.MAX, true);
 * }</pre>
 */
public enum MonitorMode {
    MIN, MAX, AUTO;

    /** {@code MIN} or {@code MAX} for {@code key}. */
    MonitorMode resolve(String key) {
        if (this != AUTO) {
            return this;
        }
        for (String upward : new String[] {"acc", "precision", "recall", "f1", "auc"}) {
            if (key.contains(upward)) {
                return MAX;
            }
        }
        return MIN;
    }
}
