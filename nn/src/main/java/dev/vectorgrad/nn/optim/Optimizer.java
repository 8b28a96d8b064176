package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Updates parameters in place from their gradients, as PyTorch's {@code torch.optim.Optimizer}.
 * Subclasses give the update of one parameter (one fused kernel from {@code engine.Updates}); the loop
 * over groups, the per-parameter state and the state dict live here. A step allocates nothing that grows
 * with the model once each parameter's state exists (it is created on the parameter's first step).
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), 1e-3);
 * opt.zeroGrad(); loss.backward(); opt.step();
 * }</pre>
 *
 * <p>The state dict follows PyTorch's: parameters are numbered in group order from 0, per-parameter
 * arrays are {@code state.<index>.<name>}, and the strings are {@code type}, {@code stepCount},
 * {@code state.<index>.step}, {@code paramGroups.<group>.params} (the indices, comma-separated) and
 * {@code paramGroups.<group>.<option>} for every option (including those schedulers set).
 */
public abstract class Optimizer {

    private final String name = getClass().getSimpleName();
    private final List<ParamGroup> groups;
    private final Map<String, Double> defaults;
    private final Set<String> stateNames;
    /** Per-parameter state, keyed by the parameter itself. */
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();
    private long steps;

    /**
     * Groups whose missing options come from {@code defaults}; {@code stateNames} are the arrays the
     * subclass keeps per parameter (what a loaded state dict may hold).
     */
    protected Optimizer(List<ParamGroup> groups, Map<String, Double> defaults, Set<String> stateNames) {
        this.groups = List.copyOf(groups);
        this.defaults = Map.copyOf(defaults);
        this.stateNames = Set.copyOf(stateNames);
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int g = 0; g < this.groups.size(); g++) {
            this.groups.get(g).defaults(defaults);
            for (Tensor p : this.groups.get(g).params()) {
                Integer before = seen.put(p, g);
                if (before != null) {
                    throw new IllegalArgumentException(name + ": a parameter of shape " + Shape.format(p.shape())
                            + " appears twice (param groups " + before + " and " + g + ")");
                }
                if (!p.isLeaf()) {
                    throw new IllegalArgumentException(name + ": a parameter of shape " + Shape.format(p.shape())
                            + " in param group " + g + " is not a leaf; optimize leaf tensors");
                }
            }
        }
        if (seen.isEmpty()) {
            throw new IllegalArgumentException(name + ": got no parameters to optimize");
        }
    }

    public List<ParamGroup> paramGroups() {
        return groups;
    }

    /** The options and their defaults, as PyTorch's {@code optimizer.defaults}. */
    public Map<String, Double> defaults() {
        return defaults;
    }

    /** The number of completed steps. */
    public long stepCount() {
        return steps;
    }

    /** The state of a parameter, or null before its first update. */
    public ParamState state(Tensor param) {
        return state.get(param);
    }

    public void zeroGrad() {
        groups.forEach(g -> g.params().forEach(Tensor::zeroGrad));
    }

    /** One update of every parameter that has a gradient; the others are skipped, their state untouched. */
    public void step() {
        steps++;
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            List<Tensor> params = group.params();
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                ParamState s = state.get(p);
                if (s == null) {
                    s = new ParamState(0);
                    state.put(p, s);
                }
                s.advance();
                update(p.value(), grad.value(), s, group);
            }
        }
    }

    /** Updates {@code param} in place from {@code grad}, using and updating {@code state} (its step already counted). */
    protected abstract void update(NDArray param, NDArray grad, ParamState state, ParamGroup group);

    /** -1 when the group maximises (PyTorch's {@code maximize}), else 1. */
    protected static double gradSign(ParamGroup group) {
        return group.get("maximize") != 0 ? -1 : 1;
    }

    /** Throws unless each option is at least 0 in every group (PyTorch's "Invalid ... value" checks). */
    protected final void requireNonNegative(String... options) {
        requireRange(options, false);
    }

    /** Throws unless each option is in [0, 1) in every group (Adam's betas). */
    protected final void requireFraction(String... options) {
        requireRange(options, true);
    }

    private void requireRange(String[] options, boolean belowOne) {
        for (int g = 0; g < groups.size(); g++) {
            for (String option : options) {
                double v = groups.get(g).get(option);
                if (!(v >= 0) || (belowOne && !(v < 1))) {
                    throw new IllegalArgumentException(name + ": " + option + " must be " + (belowOne ? "in [0, 1)" : ">= 0")
                            + ", got " + v + " in param group " + g);
                }
            }
        }
    }

    /** The state of every parameter and the hyper-parameters of every group (see the class comment for the keys). */
    public StateDict stateDict() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("type", name);
        metadata.put("stepCount", Long.toString(steps));
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            StringJoiner ids = new StringJoiner(",");
            for (Tensor p : group.params()) {
                ParamState s = state.get(p);
                if (s != null) {
                    metadata.put("state." + index + ".step", Long.toString(s.step()));
                    for (Map.Entry<String, NDArray> b : s.buffers().entrySet()) {
                        tensors.put("state." + index + "." + b.getKey(), b.getValue());
                    }
                }
                ids.add(Integer.toString(index++));
            }
            String prefix = "paramGroups." + g + ".";
            metadata.put(prefix + "params", ids.toString());
            group.options().forEach((option, value) -> metadata.put(prefix + option, Double.toString(value)));
        }
        return new StateDict(tensors, metadata);
    }

    /**
     * Restores a {@link #stateDict()}: the step count, every group's options and every parameter's state
     * (arrays copied, converted to the parameter's dtype). Parameters are matched by their index, as in
     * PyTorch. Everything is checked first, so a bad state leaves the optimizer untouched.
     */
    public void loadStateDict(StateDict saved) {
        parse(saved).apply();
    }

    /** Throws the exception {@link #loadStateDict} would, without changing anything. */
    public void checkStateDict(StateDict saved) {
        parse(saved);
    }

    /** A state dict read and checked against this optimizer, ready to be applied. */
    private final class Loaded {
        long steps;
        final List<Map<String, Double>> options = new ArrayList<>();
        final Map<Tensor, ParamState> state = new IdentityHashMap<>();

        void apply() {
            Optimizer.this.steps = steps;
            for (int g = 0; g < groups.size(); g++) {
                options.get(g).forEach(groups.get(g)::set);
            }
            Optimizer.this.state.clear();
            Optimizer.this.state.putAll(state);
        }
    }

    private Loaded parse(StateDict saved) {
        List<String> problems = new ArrayList<>();
        Loaded loaded = new Loaded();
        Map<String, String> meta = new TreeMap<>(saved.metadata());
        if (!name.equals(meta.remove("type"))) {
            problems.add("saved by " + saved.metadata().getOrDefault("type", "an unnamed optimizer"));
        }
        loaded.steps = count(meta.remove("stepCount"), "stepCount", problems);
        List<Tensor> byIndex = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            String prefix = "paramGroups." + g + ".";
            String ids = meta.remove(prefix + "params");
            int expected = groups.get(g).params().size();
            int given = ids == null ? -1 : ids.isEmpty() ? 0 : ids.split(",").length;
            if (given != expected) {
                problems.add(ids == null ? "missing param group " + g
                        : "param group " + g + " has " + given + " parameters, the optimizer's has " + expected);
            }
            byIndex.addAll(groups.get(g).params());
            Map<String, Double> options = new TreeMap<>();
            for (String key : List.copyOf(meta.keySet())) {
                if (key.startsWith(prefix)) {
                    options.put(key.substring(prefix.length()), number(meta.remove(key), key, problems));
                }
            }
            for (String option : new TreeSet<>(defaults.keySet())) {
                if (ids != null && !options.containsKey(option)) {
                    problems.add("param group " + g + " misses option " + option);
                }
            }
            loaded.options.add(options);
        }
        for (Map.Entry<String, String> e : meta.entrySet()) {
            Tensor p = indexed(e.getKey(), ".step", byIndex);
            if (p == null) {
                problems.add("unexpected " + e.getKey());
            } else {
                loaded.state.put(p, new ParamState(count(e.getValue(), e.getKey(), problems)));
            }
        }
        for (Map.Entry<String, NDArray> e : saved.tensors().entrySet()) {
            String key = e.getKey();
            String buffer = key.substring(key.lastIndexOf('.') + 1);
            Tensor p = indexed(key, "." + buffer, byIndex);
            if (p == null || !stateNames.contains(buffer)) {
                problems.add("unexpected " + key + (p == null ? "" : " (" + name + " keeps " + new TreeSet<>(stateNames) + ")"));
            } else if (!Arrays.equals(e.getValue().shape(), p.shape())) {
                problems.add(key + " has shape " + Shape.format(e.getValue().shape()) + " but the parameter has "
                        + Shape.format(p.shape()));
            } else if (!loaded.state.containsKey(p)) {
                problems.add(key + " without a state." + key.split("\\.")[1] + ".step");
            } else {
                loaded.state.get(p).put(buffer, NDArray.zeros(p.dtype(), p.shape()).copyFrom(e.getValue()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: the state does not fit " + name + ": "
                    + String.join("; ", problems));
        }
        return loaded;
    }

    /** The parameter that {@code state.<index><suffix>} names, or null when the key has another form. */
    private static Tensor indexed(String key, String suffix, List<Tensor> byIndex) {
        if (!key.startsWith("state.") || !key.endsWith(suffix)) {
            return null;
        }
        String index = key.substring("state.".length(), key.length() - suffix.length());
        if (!index.matches("\\d{1,9}") || Integer.parseInt(index) >= byIndex.size()) {
            return null;
        }
        return byIndex.get(Integer.parseInt(index));
    }

    private static long count(String value, String key, List<String> problems) {
        if (value != null && value.matches("\\d{1,18}")) {
            return Long.parseLong(value);
        }
        problems.add(key + " is " + (value == null ? "missing" : "'" + value + "', not a count"));
        return 0;
    }

    private static double number(String value, String key, List<String> problems) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            problems.add(key + " is '" + value + "', not a number");
            return 0;
        }
    }

    /** {@code base} overridden by {@code given}: an optimizer's defaults with the caller's choices. */
    static Map<String, Double> merge(Map<String, Double> base, Map<String, Double> given) {
        Map<String, Double> all = new TreeMap<>(base);
        all.putAll(given);
        return all;
    }

    static List<ParamGroup> single(List<Tensor> params, double lr) {
        return List.of(new ParamGroup(params, Map.of("lr", lr)));
    }
}
