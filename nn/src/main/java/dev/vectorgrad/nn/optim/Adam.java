package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Updates;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam with PyTorch's formulas and options: bias-corrected moments ({@code beta1}, {@code beta2}),
 * {@code eps} added after the square root, {@code weightDecay} as an L2 term added to the gradient (or
 * decoupled, see {@link AdamW}), the {@code amsgrad} variant, {@code maximize}.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), 1e-3);
 * new Adam(List.of(new ParamGroup(model.parameters(), Map.of())), Map.of("lr", 1e-3, "amsgrad", 1.0));
 * }</pre>
 *
 * <p>State per parameter: {@code expAvg}, {@code expAvgSq}, and {@code maxExpAvgSq} with AMSGrad; the
 * bias corrections use the parameter's own step count.
 */
public class Adam extends Optimizer {

    private static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999,
            "eps", 1e-8, "weightDecay", 0.0, "amsgrad", 0.0, "maximize", 0.0);

    private final boolean decoupled;

    public Adam(List<Tensor> params, double lr) {
        this(single(params, lr), Map.of());
    }

    public Adam(List<ParamGroup> groups, Map<String, Double> defaults) {
        this(groups, defaults, false);
    }

    Adam(List<ParamGroup> groups, Map<String, Double> defaults, boolean decoupled) {
        super(groups, merge(DEFAULTS, defaults), Set.of("expAvg", "expAvgSq", "maxExpAvgSq"));
        this.decoupled = decoupled;
        requireNonNegative("lr", "eps", "weightDecay");
        requireFraction("beta1", "beta2");
    }

    @Override
    protected void update(NDArray param, NDArray grad, ParamState state, ParamGroup group) {
        double lr = group.get("lr"), beta1 = group.get("beta1"), beta2 = group.get("beta2"), wd = group.get("weightDecay");
        long t = state.step();
        NDArray maxExpAvgSq = group.get("amsgrad") != 0 ? state.buffer("maxExpAvgSq", param, 0) : null;
        Updates.adam(param, grad, state.buffer("expAvg", param, 0), state.buffer("expAvgSq", param, 0), maxExpAvgSq,
                gradSign(group), decoupled ? 1 - lr * wd : 1, decoupled ? 0 : wd, beta1, beta2,
                lr / (1 - Math.pow(beta1, t)), Math.sqrt(1 - Math.pow(beta2, t)), group.get("eps"));
    }
}
