package dev.vectorgrad.nn.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sets the learning rate ({@code lr}) of an optimizer's param groups as training goes on, as PyTorch's
 * {@code torch.optim.lr_scheduler}. Construct it after the optimizer (construction already applies epoch
 * 0, as PyTorch's does), then call {@link #step()} once per epoch after that epoch's optimizer steps
 * ({@link OneCycleLR}: once per batch).
 *
 * <pre>{@code
 * LRScheduler scheduler = new CosineAnnealingLR(optimizer, 50, 0);
 * for (int epoch = 0; epoch < 50; epoch++) { trainOneEpoch(); scheduler.step(); }
 * }</pre>
 *
 * <p>One type drives them all: a training loop (or a {@code Callback}) calls {@link #step(double)} once
 * per epoch with the monitored value; {@link ReduceLROnPlateau} uses it, the others ignore it and advance
 * one epoch. For example
 * {@code Callback schedule = (epoch, logs) -> { scheduler.step(logs.getOrDefault("val_loss", Double.NaN)); return true; };}
 *
 * <p>Schedules use PyTorch's chainable forms: each step scales the group's current {@code lr}, so the
 * values are PyTorch's (to the rounding of {@code Math.cos}), and another scheduler or the user may change
 * the rate in between. The state dict holds {@code lastEpoch}, {@code baseLrs.<group>},
 * {@code lastLr.<group>} and each scheduler's own counters; the rates themselves are in the optimizer's.
 */
public abstract class LRScheduler {

    private final String name = getClass().getSimpleName();
    protected final Optimizer optimizer;
    private final double[] baseLrs;
    private final double[] lastLr;
    private int lastEpoch;

    /**
     * Records each group's {@code initialLr}: the given {@code initialLrs}, or, when null, the group's
     * existing {@code initialLr} or else its current {@code lr} (PyTorch's {@code setdefault}, so that a
     * second scheduler on the same optimizer starts from the same base).
     */
    protected LRScheduler(Optimizer optimizer, int lastEpoch, double[] initialLrs) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        lastLr = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            if (initialLrs != null || !group.has("initialLr")) {
                group.set("initialLr", initialLrs != null ? initialLrs[g] : group.get("lr"));
            }
            baseLrs[g] = group.get("initialLr");
        }
        this.lastEpoch = lastEpoch;
        recordLastLr();
    }

    /** Advances one epoch (one batch for {@link OneCycleLR}) and sets each group's {@code lr}. */
    public void step() {
        lastEpoch++;
        applyLr();
    }

    /** Advances one epoch given the monitored metric; only {@link ReduceLROnPlateau} looks at it. */
    public void step(double metric) {
        step();
    }

    /** The rate of {@code group} for the epoch {@link #lastEpoch()}, given its current rate {@code lr}. */
    protected abstract double lr(int group, double lr);

    /** Sets every group's {@code lr} to {@link #lr(int, double)} and records it. */
    protected final void applyLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).set("lr", lr(g, groups.get(g).get("lr")));
        }
        recordLastLr();
    }

    protected final void recordLastLr() {
        for (int g = 0; g < lastLr.length; g++) {
            lastLr[g] = optimizer.paramGroups().get(g).get("lr");
        }
    }

    /** Increments the epoch count and returns it, for schedulers that step on their own terms. */
    protected final int nextEpoch() {
        return ++lastEpoch;
    }

    /** The number of steps taken; 0 right after construction. */
    public final int lastEpoch() {
        return lastEpoch;
    }

    /** The rate each group had at the start (its {@code initialLr}). */
    public final double baseLr(int group) {
        return baseLrs[group];
    }

    /** The rate of each group after the last step (PyTorch's {@code get_last_lr()}). */
    public final List<Double> lastLr() {
        List<Double> out = new ArrayList<>();
        for (double v : lastLr) {
            out.add(v);
        }
        return out;
    }

    /** A scheduler's own counters beyond the epoch and the rates (ReduceLROnPlateau's best value, ...). */
    protected Map<String, Double> extraState() {
        return Map.of();
    }

    /** Restores {@link #extraState()}; the values have been checked to have the same keys. */
    protected void restoreExtraState(Map<String, Double> values) {
    }

    private Map<String, Double> values() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("lastEpoch", (double) lastEpoch);
        for (int g = 0; g < baseLrs.length; g++) {
            values.put("baseLrs." + g, baseLrs[g]);
            values.put("lastLr." + g, lastLr[g]);
        }
        values.putAll(extraState());
        return values;
    }

    /** The scheduler's counters as strings ({@code type} names the class); no arrays. */
    public StateDict stateDict() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("type", name);
        values().forEach((k, v) -> metadata.put(k, Double.toString(v)));
        return new StateDict(Map.of(), metadata);
    }

    /** Restores a {@link #stateDict()} of the same scheduler type over as many groups; checked first. */
    public void loadStateDict(StateDict saved) {
        Map<String, Double> values = parse(saved);
        lastEpoch = (int) (double) values.remove("lastEpoch");
        for (int g = 0; g < baseLrs.length; g++) {
            baseLrs[g] = values.remove("baseLrs." + g);
            lastLr[g] = values.remove("lastLr." + g);
        }
        restoreExtraState(values);
    }

    /** Throws the exception {@link #loadStateDict} would, without changing anything. */
    public void checkStateDict(StateDict saved) {
        parse(saved);
    }

    private Map<String, Double> parse(StateDict saved) {
        List<String> problems = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>(saved.metadata());
        if (!name.equals(given.remove("type"))) {
            problems.add("saved by " + saved.metadata().getOrDefault("type", "an unnamed scheduler"));
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String key : values().keySet()) {
            String text = given.remove(key);
            if (text == null) {
                problems.add("missing " + key);
                continue;
            }
            try {
                values.put(key, Double.parseDouble(text));
            } catch (NumberFormatException e) {
                problems.add(key + " is '" + text + "', not a number");
            }
        }
        new TreeSet<>(given.keySet()).forEach(k -> problems.add("unexpected " + k));
        if (!saved.tensors().isEmpty()) {
            problems.add("unexpected arrays " + new TreeSet<>(saved.tensors().keySet()));
        }
        Double epoch = values.get("lastEpoch");
        if (epoch != null && !(epoch == Math.rint(epoch) && Math.abs(epoch) < Integer.MAX_VALUE)) {
            problems.add("lastEpoch is " + epoch + ", not a whole number");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: the state does not fit " + name + ": "
                    + String.join("; ", problems));
        }
        return values;
    }
}
