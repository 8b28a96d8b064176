package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Autograd;
import dev.vectorgrad.autodiff.Scope;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters in place from their gradients. Subclasses give the update of one parameter; the
 * loop over groups, the no-grad scope and the per-parameter state live here.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), 1e-3);
 * opt.zeroGrad(); loss.backward(); opt.step();
 * }</pre>
 */
public abstract class Optimizer {

    private final List<ParamGroup> groups;
    /** Per-parameter state (momentum buffers, moment estimates), keyed by the parameter itself. */
    private final Map<Tensor, NDArray[]> state = new IdentityHashMap<>();
    private long steps;

    protected Optimizer(List<ParamGroup> groups, Map<String, Double> defaults) {
        this.groups = List.copyOf(groups);
        for (ParamGroup g : this.groups) {
            g.defaults(defaults);
        }
    }

    public List<ParamGroup> paramGroups() {
        return groups;
    }

    /** The number of completed steps. */
    public long stepCount() {
        return steps;
    }

    public void zeroGrad() {
        groups.forEach(g -> g.params().forEach(Tensor::zeroGrad));
    }

    /** One update of every parameter that has a gradient. */
    public void step() {
        steps++;
        try (Scope ignored = Autograd.noGrad()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    if (p.grad() != null) {
                        NDArray[] s = state.computeIfAbsent(p, q -> newState(q.value()));
                        update(p.value(), p.grad().value(), s, group, steps);
                    }
                }
            }
        }
    }

    /** The state arrays a parameter needs, zero-initialised, e.g. Adam's two moments. */
    protected abstract NDArray[] newState(NDArray param);

    /** Updates {@code param} in place from {@code grad}, using and updating {@code state}. */
    protected abstract void update(NDArray param, NDArray grad, NDArray[] state, ParamGroup group, long step);

    static List<ParamGroup> single(List<Tensor> params, double lr) {
        return List.of(new ParamGroup(params, Map.of("lr", lr)));
    }
}
