package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's options and formulas: weight decay added to the gradient,
 * momentum with dampening, Nesterov momentum.
 *
 * <pre>{@code
 * new SGD(model.parameters(), 0.1);
 * new SGD(List.of(new ParamGroup(model.parameters(), Map.of())), Map.of("lr", 0.1, "momentum", 0.9, "nesterov", 1.0));
 * }</pre>
 */
public final class SGD extends Optimizer {

    private static final Map<String, Double> DEFAULTS =
            Map.of("lr", 0.01, "momentum", 0.0, "dampening", 0.0, "weightDecay", 0.0, "nesterov", 0.0);

    public SGD(List<Tensor> params, double lr) {
        this(single(params, lr), Map.of());
    }

    public SGD(List<ParamGroup> groups, Map<String, Double> defaults) {
        super(groups, merge(defaults));
    }

    static Map<String, Double> merge(Map<String, Double> given) {
        java.util.HashMap<String, Double> all = new java.util.HashMap<>(DEFAULTS);
        all.putAll(given);
        return all;
    }

    @Override
    protected NDArray[] newState(NDArray param) {
        return new NDArray[] {null};
    }

    @Override
    protected void update(NDArray param, NDArray grad, NDArray[] state, ParamGroup group, long step) {
        double lr = group.get("lr"), momentum = group.get("momentum"), wd = group.get("weightDecay");
        NDArray d = grad;
        if (wd != 0) {
            d = grad.copy().addInPlace(param, wd);
        }
        if (momentum != 0) {
            if (state[0] == null) {
                state[0] = d.copy();
            } else {
                state[0].mulInPlace(momentum).addInPlace(d, 1 - group.get("dampening"));
            }
            d = group.get("nesterov") != 0 ? d.copy().addInPlace(state[0], momentum) : state[0];
        }
        param.addInPlace(d, -lr);
    }
}
