package dev.vectorgrad.autodiff;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * Gradients as values, and the thread's autodiff modes.
 *
 * <pre>{@code
 * Tensor[] g = Autograd.grad(loss, new Tensor[] {w}, true);          // keeps a graph: g[0] is differentiable
 * Tensor hvp = Autograd.grad(g[0].mul(v).sum(), w)[0];                // a Hessian-vector product
 * }</pre>
 */
public final class Autograd {

    private Autograd() {
    }

    /** Until closed, ops on this thread record no graph (for updates, evaluation, inference). */
    public static Scope noGrad() {
        return new Scope(false, GradMode.current().anomaly);
    }

    /** Until closed, ops on this thread record a graph again (inside a {@link #noGrad()} scope). */
    public static Scope enableGrad() {
        return new Scope(true, GradMode.current().anomaly);
    }

    public static boolean isGradEnabled() {
        return GradMode.current().enabled;
    }

    /**
     * Until closed, every op on this thread checks its output for NaN and Inf (from finite inputs) and
     * every gradient in backward, and the error names the op and the line of user code that called it.
     * Each op then costs a stack walk and a scan of its output.
     */
    public static Scope detectAnomaly() {
        return new Scope(GradMode.current().enabled, true);
    }

    public static boolean isAnomalyEnabled() {
        return GradMode.current().anomaly;
    }

    /** The gradients of a scalar {@code output} with respect to {@code inputs}, without touching their {@code grad}. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(output, inputs, false);
    }

    /** As {@link #grad(Tensor, Tensor...)}; with {@code createGraph} the gradients are differentiable. */
    public static Tensor[] grad(Tensor output, Tensor[] inputs, boolean createGraph) {
        return grad(new Tensor[] {output}, inputs, new Tensor[] {null}, createGraph, false);
    }

    /**
     * The sum over {@code outputs} of vector-Jacobian products with {@code seeds} (a null seed stands for
     * 1 and needs a scalar output), with respect to {@code inputs}. The graph is kept when
     * {@code createGraph} is set, so that the gradients can be differentiated again. An input no output
     * depends on is an error unless {@code allowUnused}, when its gradient is null.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] seeds, boolean createGraph,
                                boolean allowUnused) {
        if (seeds.length != outputs.length) {
            throw new IllegalArgumentException("grad: " + seeds.length + " seeds for " + outputs.length + " outputs");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " (shape " + Shape.format(inputs[i].shape())
                        + ") does not require grad");
            }
        }
        Tensor[] grads = Backprop.run(outputs, seeds("grad", outputs, seeds), inputs, createGraph, createGraph);
        for (int i = 0; i < inputs.length; i++) {
            if (grads[i] == null && !allowUnused) {
                throw new IllegalArgumentException("grad: input " + i + " (shape " + Shape.format(inputs[i].shape())
                        + ") was not used to compute the outputs; pass allowUnused = true to get null for it");
            }
        }
        return grads;
    }

    /** Back-propagates into the leaves' {@code grad}: what {@link Tensor#backward()} does. */
    static void backward(Tensor output, Tensor seed, boolean retainGraph, boolean createGraph) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor of shape " + Shape.format(output.shape())
                    + " does not require grad and has no graph to go back through");
        }
        Tensor[] outputs = {output};
        Backprop.run(outputs, seeds("backward", outputs, new Tensor[] {seed}), null, createGraph,
                retainGraph || createGraph);
    }

    /** The seed of each output: ones for a scalar output without one, checked against the output's shape. */
    private static Tensor[] seeds(String op, Tensor[] outputs, Tensor[] seeds) {
        Tensor[] out = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            int[] shape = outputs[i].shape();
            if (seeds[i] == null) {
                if (outputs[i].numel() != 1) {
                    throw new IllegalArgumentException(op + ": output of shape " + Shape.format(shape)
                            + " is not a scalar; pass a seed gradient of that shape");
                }
                out[i] = Tensor.of(NDArray.ones(outputs[i].dtype(), shape));
            } else if (!Arrays.equals(seeds[i].shape(), shape)) {
                throw new IllegalArgumentException(op + ": seed of shape " + Shape.format(seeds[i].shape())
                        + " does not match the output's shape " + Shape.format(shape));
            } else {
                out[i] = seeds[i];
            }
        }
        return out;
    }
}
