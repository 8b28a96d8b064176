package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): the parameter shrinks by the factor
 * {@code 1 - lr * weightDecay} before the Adam step, instead of the decay being added to the gradient.
 * PyTorch's default {@code weightDecay} of 0.01; the other options and the state are {@link Adam}'s.
 *
 * <pre>{@code
 * Optimizer opt = new AdamW(model.parameters(), 1e-3);
 * }</pre>
 */
public final class AdamW extends Adam {

    public AdamW(List<Tensor> params, double lr) {
        this(single(params, lr), Map.of());
    }

    public AdamW(List<ParamGroup> groups, Map<String, Double> defaults) {
        super(groups, merge(Map.of("weightDecay", 0.01), defaults), true);
    }
}
