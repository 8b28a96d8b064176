package dev.vectorgrad.autodiff;

/**
 * A change of the thread's autodiff mode that lasts until {@link #close()}, for try-with-resources:
 *
 * <pre>{@code
 * try (Scope s = Autograd.noGrad()) {
 *     weights.value().addInPlace(update);
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {

    private final boolean enabled;
    private final boolean anomaly;

    Scope(boolean enabled, boolean anomaly) {
        GradMode mode = GradMode.current();
        this.enabled = mode.enabled;
        this.anomaly = mode.anomaly;
        mode.enabled = enabled;
        mode.anomaly = anomaly;
    }

    /** Restores the mode in force when this scope was opened. */
    @Override
    public void close() {
        GradMode mode = GradMode.current();
        mode.enabled = enabled;
        mode.anomaly = anomaly;
    }
}
