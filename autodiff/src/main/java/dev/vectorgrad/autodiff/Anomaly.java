package dev.vectorgrad.autodiff;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;

/** Anomaly mode's checks: the first op whose value or gradient holds NaN or Inf, named with its call site. */
final class Anomaly {

    /** Packages whose frames are the library's own, skipped when looking for the user's line. */
    private static final String[] LIBRARY = {"dev.vectorgrad.engine.", "dev.vectorgrad.autodiff.", "dev.vectorgrad.nn."};

    private Anomaly() {
    }

    private static final StackWalker WALKER = StackWalker.getInstance();

    /**
     * The line of the user's code that called the op being recorded, or null when anomaly mode is off.
     * The walk stops at the first frame outside the library, so that recording costs a few library
     * frames, not a whole stack trace.
     */
    static StackTraceElement site() {
        return GradMode.current().anomaly ? userFrame() : null;
    }

    /** The first frame outside this library: the line of the user's code that called the op. */
    private static StackTraceElement userFrame() {
        return WALKER.walk(frames -> frames.filter(f -> !isLibrary(f.getClassName())).findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
    }

    /** Where {@code site} is, for a message. */
    static String describe(StackTraceElement site) {
        return site == null ? "an unknown place" : site.toString();
    }

    private static boolean isLibrary(String className) {
        for (String prefix : LIBRARY) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static void checkForward(String op, NDArray value, Tensor[] inputs) {
        if (!GradMode.current().anomaly || value.allFinite()) {
            return;
        }
        for (Tensor input : inputs) {
            if (!input.value().allFinite()) {
                return;
            }
        }
        throw new IllegalStateException("anomaly: " + op + " produced " + kind(value) + " in its output of shape "
                + Shape.format(value.shape()) + " from finite inputs, at " + describe(userFrame()));
    }

    static void checkBackward(Node node, int input, Tensor gradient) {
        if (gradient.value().allFinite()) {
            return;
        }
        throw new IllegalStateException("anomaly: the gradient of " + node.op + " for its input " + input
                + " holds " + kind(gradient.value()) + " (shape " + Shape.format(gradient.value().shape()) + ")"
                + node.where());
    }

    private static String kind(NDArray x) {
        return x.ne(x).sum().item() > 0 ? "NaN" : "Inf";
    }
}
