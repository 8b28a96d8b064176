package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Updates;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adagrad with PyTorch's formulas and options: the sum of squared gradients (starting at
 * {@code initialAccumulatorValue}) scales each step, the rate decays as {@code lr / (1 + (t - 1) * lrDecay)},
 * {@code eps} is added after the square root, {@code weightDecay} is added to the gradient, {@code maximize}.
 *
 * <pre>{@code
 * Optimizer opt = new Adagrad(model.parameters(), 1e-2);
 * new Adagrad(List.of(new ParamGroup(model.parameters(), Map.of())), Map.of("lrDecay", 1e-3, "initialAccumulatorValue", 0.1));
 * }</pre>
 *
 * <p>State per parameter: {@code sum}, created on the parameter's first step (PyTorch creates it with the
 * optimizer: a state dict taken before any step is empty here).
 */
public final class Adagrad extends Optimizer {

    private static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-2, "lrDecay", 0.0, "weightDecay", 0.0,
            "initialAccumulatorValue", 0.0, "eps", 1e-10, "maximize", 0.0);

    public Adagrad(List<Tensor> params, double lr) {
        this(single(params, lr), Map.of());
    }

    public Adagrad(List<ParamGroup> groups, Map<String, Double> defaults) {
        super(groups, merge(DEFAULTS, defaults), Set.of("sum"));
        requireNonNegative("lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps");
    }

    @Override
    protected void update(NDArray param, NDArray grad, ParamState state, ParamGroup group) {
        double clr = group.get("lr") / (1 + (state.step() - 1) * group.get("lrDecay"));
        Updates.adagrad(param, grad, state.buffer("sum", param, group.get("initialAccumulatorValue")), gradSign(group),
                group.get("weightDecay"), clr, group.get("eps"));
    }
}
