package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Updates;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with PyTorch's options and formulas: {@code weightDecay} added to the
 * gradient, {@code momentum} with {@code dampening} (the buffer starts as the first gradient),
 * {@code nesterov} momentum, {@code maximize}. Booleans are options of 1.0 (on) or 0.0 (off).
 *
 * <pre>{@code
 * new SGD(model.parameters(), 0.1);
 * new SGD(List.of(new ParamGroup(model.parameters(), Map.of())), Map.of("lr", 0.1, "momentum", 0.9, "nesterov", 1.0));
 * }</pre>
 *
 * <p>State per parameter: {@code momentumBuffer} (when momentum is not 0).
 */
public final class SGD extends Optimizer {

    private static final Map<String, Double> DEFAULTS = Map.of("lr", 0.01, "momentum", 0.0, "dampening", 0.0,
            "weightDecay", 0.0, "nesterov", 0.0, "maximize", 0.0);
    private static final String BUFFER = "momentumBuffer";

    public SGD(List<Tensor> params, double lr) {
        this(single(params, lr), Map.of());
    }

    public SGD(List<ParamGroup> groups, Map<String, Double> defaults) {
        super(groups, merge(DEFAULTS, defaults), Set.of(BUFFER));
        requireNonNegative("lr", "momentum", "weightDecay");
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = paramGroups().get(g);
            if (group.get("nesterov") != 0 && (group.get("momentum") <= 0 || group.get("dampening") != 0)) {
                throw new IllegalArgumentException("SGD: Nesterov momentum needs a momentum above 0 and no dampening, got"
                        + " momentum " + group.get("momentum") + " and dampening " + group.get("dampening")
                        + " in param group " + g);
            }
        }
    }

    @Override
    protected void update(NDArray param, NDArray grad, ParamState state, ParamGroup group) {
        double momentum = group.get("momentum");
        NDArray buffer = momentum == 0 ? null : state.buffer(BUFFER);
        boolean first = momentum != 0 && buffer == null;
        if (first) {
            buffer = state.buffer(BUFFER, param, 0);
        }
        Updates.sgd(param, grad, buffer, first, gradSign(group), group.get("weightDecay"), momentum,
                group.get("dampening"), group.get("nesterov") != 0, group.get("lr"));
    }
}
