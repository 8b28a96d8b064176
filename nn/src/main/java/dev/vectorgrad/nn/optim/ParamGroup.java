package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Parameters that share hyper-parameters, as PyTorch's {@code param_groups} entries: options not given
 * here fall back to the optimizer's defaults. Schedulers change {@code lr} (and OneCycleLR the momentum)
 * through {@link #set}, and keep their own entries here too ({@code initialLr}), as PyTorch's do.
 *
 * <pre>{@code
 * new Adam(List.of(new ParamGroup(backbone.parameters(), Map.of("lr", 1e-4)),
 *                  new ParamGroup(head.parameters(), Map.of())), Map.of("lr", 1e-3));
 * }</pre>
 */
public final class ParamGroup {

    private final List<Tensor> params;
    private final Map<String, Double> options;

    public ParamGroup(List<Tensor> params, Map<String, Double> options) {
        this.params = List.copyOf(params);
        this.options = new TreeMap<>(options);
    }

    public List<Tensor> params() {
        return params;
    }

    public double get(String option) {
        Double v = options.get(option);
        if (v == null) {
            throw new IllegalStateException("ParamGroup: no value for option " + option + "; has " + options.keySet());
        }
        return v;
    }

    /** True when the group has a value for {@code option}. */
    public boolean has(String option) {
        return options.containsKey(option);
    }

    public void set(String option, double value) {
        options.put(option, value);
    }

    /** Every option and its value, sorted by name; a read-only view. */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    void defaults(Map<String, Double> defaults) {
        defaults.forEach(options::putIfAbsent);
        for (String option : options.keySet()) {
            if (!defaults.containsKey(option)) {
                throw new IllegalArgumentException("ParamGroup: unknown option " + option + "; known: "
                        + new TreeSet<>(defaults.keySet()));
            }
        }
    }
}
