package dev.vectorgrad.autodiff;

/**
 * The per-thread switches of autodiff: whether ops record a graph, and whether anomaly mode checks
 * every value and gradient for NaN and Inf. The only mutable global state of this module.
 */
final class GradMode {

    private static final ThreadLocal<GradMode> CURRENT = ThreadLocal.withInitial(GradMode::new);

    boolean enabled = true;
    boolean anomaly;

    private GradMode() {
    }

    static GradMode current() {
        return CURRENT.get();
    }
}
