package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with PyTorch's formulas and options: bias-corrected moments, {@code eps} added after the square
 * root, L2 weight decay added to the gradient (or decoupled, see {@link AdamW}), and the AMSGrad variant.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), 1e-3);
 * }</pre>
 */
public class Adam extends Optimizer {

    private static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999,
            "eps", 1e-8, "weightDecay", 0.0, "amsgrad", 0.0);

    private final boolean decoupled;

    public Adam(List<Tensor> params, double lr) {
        this(single(params, lr), Map.of());
    }

    public Adam(List<ParamGroup> groups, Map<String, Double> defaults) {
        this(groups, defaults, false);
    }

    Adam(List<ParamGroup> groups, Map<String, Double> defaults, boolean decoupled) {
        super(groups, merge(defaults));
        this.decoupled = decoupled;
    }

    private static Map<String, Double> merge(Map<String, Double> given) {
        Map<String, Double> all = new HashMap<>(DEFAULTS);
        all.putAll(given);
        return all;
    }

    @Override
    protected NDArray[] newState(NDArray p) {
        return new NDArray[] {NDArray.zeros(p.dtype(), p.shape()), NDArray.zeros(p.dtype(), p.shape()),
                NDArray.zeros(p.dtype(), p.shape())};
    }

    @Override
    protected void update(NDArray param, NDArray grad, NDArray[] state, ParamGroup group, long step) {
        double lr = group.get("lr"), b1 = group.get("beta1"), b2 = group.get("beta2"), wd = group.get("weightDecay");
        NDArray m = state[0], v = state[1], vMax = state[2];
        NDArray g = grad;
        if (wd != 0) {
            if (decoupled) {
                param.mulInPlace(1 - lr * wd);
            } else {
                g = grad.copy().addInPlace(param, wd);
            }
        }
        m.mulInPlace(b1).addInPlace(g, 1 - b1);
        v.mulInPlace(b2).addInPlace(g.mul(g), 1 - b2);
        NDArray second = v;
        if (group.get("amsgrad") != 0) {
            vMax.copyFrom(vMax.maximum(v));
            second = vMax;
        }
        double correction1 = 1 - Math.pow(b1, step), correction2 = 1 - Math.pow(b2, step);
        NDArray denominator = second.div(correction2).sqrt().addInPlace(group.get("eps"));
        param.addInPlace(m.div(denominator), -lr / correction1);
    }
}
