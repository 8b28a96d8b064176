package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Updates;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop with PyTorch's formulas and options: a running average of squared gradients with smoothing
 * {@code alpha}, {@code eps} added after the square root, {@code weightDecay} added to the gradient,
 * {@code centered} (the running mean of the gradient subtracted, an estimate of its variance),
 * {@code momentum}, {@code maximize}.
 *
 * <pre>{@code
 * Optimizer opt = new RMSprop(model.parameters(), 1e-2);
 * new RMSprop(List.of(new ParamGroup(model.parameters(), Map.of())), Map.of("momentum", 0.9, "centered", 1.0));
 * }</pre>
 *
 * <p>State per parameter: {@code squareAvg}, {@code momentumBuffer} (when momentum is above 0) and
 * {@code gradAvg} (when centered).
 */
public final class RMSprop extends Optimizer {

    private static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-2, "alpha", 0.99, "eps", 1e-8,
            "weightDecay", 0.0, "momentum", 0.0, "centered", 0.0, "maximize", 0.0);

    public RMSprop(List<Tensor> params, double lr) {
        this(single(params, lr), Map.of());
    }

    public RMSprop(List<ParamGroup> groups, Map<String, Double> defaults) {
        super(groups, merge(DEFAULTS, defaults), Set.of("squareAvg", "momentumBuffer", "gradAvg"));
        requireNonNegative("lr", "eps", "momentum", "weightDecay", "alpha");
    }

    @Override
    protected void update(NDArray param, NDArray grad, ParamState state, ParamGroup group) {
        double momentum = group.get("momentum");
        Updates.rmsprop(param, grad, state.buffer("squareAvg", param, 0),
                group.get("centered") != 0 ? state.buffer("gradAvg", param, 0) : null,
                momentum > 0 ? state.buffer("momentumBuffer", param, 0) : null, gradSign(group),
                group.get("weightDecay"), group.get("alpha"), group.get("eps"), momentum, group.get("lr"));
    }
}
