package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import java.util.List;

/**
 * L1 and L2 penalties to add to a loss, composed of Tensor ops so that {@code backward()} derives their
 * gradients (Keras's {@code l1} and {@code l2} regularizers, summed over parameters). {@code l2(params,
 * wd / 2)} adds {@code wd * p} to each gradient: the same as the optimizers' {@code weightDecay} option
 * for SGD, which is the cheaper way to get it.
 *
 * <pre>{@code
 * Tensor loss = lossFn.forward(model.forward(x), y).add(Regularization.l1(model.parameters(), 1e-4));
 * loss.backward();
 * }</pre>
 */
public final class Regularization {

    private Regularization() {
    }

    /** {@code lambda * sum |p|} over every element of every parameter, a scalar; the gradient is {@code lambda * sign(p)}. */
    public static Tensor l1(List<Tensor> params, double lambda) {
        return penalty("l1", params, lambda, false);
    }

    /** {@code lambda * sum p²} over every element of every parameter, a scalar; the gradient is {@code 2 lambda p}. */
    public static Tensor l2(List<Tensor> params, double lambda) {
        return penalty("l2", params, lambda, true);
    }

    private static Tensor penalty(String name, List<Tensor> params, double lambda, boolean squared) {
        if (params.isEmpty() || !(lambda >= 0)) {
            throw new IllegalArgumentException(name + ": needs at least one parameter and lambda >= 0, got "
                    + params.size() + " parameters and lambda " + lambda);
        }
        Tensor total = null;
        for (Tensor p : params) {
            Tensor term = (squared ? p.mul(p) : p.abs()).sum();
            total = total == null ? term : total.add(term);
        }
        return total.mul(lambda);
    }
}
