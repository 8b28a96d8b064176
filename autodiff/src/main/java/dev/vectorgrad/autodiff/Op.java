package dev.vectorgrad.autodiff;

import dev.vectorgrad.engine.NDArray;

/**
 * Defines a differentiable op: its forward value, computed with any engine code, and its gradient rule.
 * Every op of the library is defined this way (see {@code Ops}), and so is a researcher's own.
 *
 * <pre>{@code
 * static Tensor cube(Tensor x) {
 *     return Op.apply("cube", x.value().pow(3), (i, g, y) -> g.mul(x.mul(x)).mul(3), x);
 * }
 * }</pre>
 *
 * <p>The rule is asked only for inputs that require a gradient; the gradient it returns may have the
 * output's broadcast shape and is summed back to the input's shape here, once for all ops.
 */
public final class Op {

    private Op() {
    }

    /**
     * The output tensor of op {@code name}: {@code value}, recorded in the graph with {@code rule} when
     * gradients are enabled and any input requires one.
     */
    public static Tensor apply(String name, NDArray value, Backward rule, Tensor... inputs) {
        return apply(name, value, rule, null, inputs);
    }

    /** {@link #apply(String, NDArray, Backward, Tensor...)} for an op whose rule also has a {@link Scatter} form. */
    static Tensor apply(String name, NDArray value, Backward rule, Scatter scatter, Tensor... inputs) {
        Anomaly.checkForward(name, value, inputs);
        if (!GradMode.current().enabled || !anyRequiresGrad(inputs)) {
            return new Tensor(value, null);
        }
        return new Tensor(value, new Node(name, inputs.clone(), rule, scatter, value.version(), Anomaly.site()));
    }

    /** A result that no gradient flows through (comparisons, sign, argmax). */
    public static Tensor constant(NDArray value) {
        return new Tensor(value, null);
    }

    private static boolean anyRequiresGrad(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }
}
