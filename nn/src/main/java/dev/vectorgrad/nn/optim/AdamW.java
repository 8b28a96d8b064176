package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): the parameter shrinks by {@code lr * wd}
 * before the Adam step, instead of the decay being added to the gradient. PyTorch's default decay 0.01.
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
        super(groups, withDecay(defaults), true);
    }

    private static Map<String, Double> withDecay(Map<String, Double> given) {
        Map<String, Double> all = new HashMap<>(Map.of("weightDecay", 0.01));
        all.putAll(given);
        return all;
    }
}
