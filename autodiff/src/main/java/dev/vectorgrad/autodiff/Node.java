package dev.vectorgrad.autodiff;

import dev.vectorgrad.engine.Shape;

/**
 * A recorded op in the graph: its inputs, its gradient rule, the storage versions of its inputs and
 * output when it ran, and (in anomaly mode) where the user's code called it. Backward frees it.
 */
final class Node {

    final String op;
    private Tensor[] inputs;
    private Backward rule;
    private final int[] versions;
    private final int outputVersion;
    final StackTraceElement site;
    /** The rule's scatter form, or null (see {@link Scatter}). */
    final Scatter scatter;

    Node(String op, Tensor[] inputs, Backward rule, Scatter scatter, int outputVersion, StackTraceElement site) {
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
        this.versions = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            versions[i] = inputs[i].value().version();
        }
        this.outputVersion = outputVersion;
        this.site = site;
        this.scatter = scatter;
    }

    Tensor[] inputs() {
        if (inputs == null) {
            throw new IllegalStateException("backward: the graph through " + op + " was already freed by an earlier"
                    + " backward; pass retainGraph = true to the first backward to go through it twice");
        }
        return inputs;
    }

    Backward rule(Tensor output) {
        Tensor[] in = inputs();
        for (int i = 0; i < in.length; i++) {
            checkVersion(in[i], versions[i], "input " + i);
        }
        checkVersion(output, outputVersion, "output");
        return rule;
    }

    private void checkVersion(Tensor t, int expected, String which) {
        int now = t.value().version();
        if (now != expected) {
            throw new IllegalStateException("backward: the " + which + " of " + op + " (shape "
                    + Shape.format(t.value().shape()) + ") was modified in place after " + op
                    + " used it (version " + now + ", expected " + expected + ")" + where());
        }
    }

    /** Drops the references that keep the graph alive. */
    void free() {
        inputs = null;
        rule = null;
    }

    /** ", created at Foo.java:12" in anomaly mode, else empty. */
    String where() {
        return site == null ? "" : ", created at " + site;
    }
}
