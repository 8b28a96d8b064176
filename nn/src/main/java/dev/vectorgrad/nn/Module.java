package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A layer or a model: a tree of named parameters, buffers and child modules, as PyTorch's
 * {@code nn.Module}. Subclasses register what they own in their constructor and compose autodiff ops in
 * {@link #forward}; no module writes a backward pass.
 *
 * <pre>{@code
 * Module model = new Sequential(new Linear(64, 128, g), new ReLU(), new Linear(128, 10, g));
 * model.namedParameters().keySet();   // [0.weight, 0.bias, 2.weight, 2.bias]
 * }</pre>
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's output for {@code input}. */
    public abstract Tensor forward(Tensor input);

    /** Registers a trainable tensor: it becomes a leaf that requires a gradient. */
    protected final Tensor registerParameter(String name, NDArray value) {
        Tensor p = Tensor.of(value).requiresGrad(true);
        parameters.put(name, p);
        return p;
    }

    /** Registers state that is saved with the model but not trained (BatchNorm's running statistics). */
    protected final Tensor registerBuffer(String name, NDArray value) {
        Tensor b = Tensor.of(value);
        buffers.put(name, b);
        return b;
    }

    protected final <M extends Module> M registerModule(String name, M module) {
        children.put(name, module);
        return module;
    }

    /** Every parameter of this module and its descendants, under PyTorch's dotted names ({@code 0.weight}). */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, m -> m.parameters);
        return out;
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, m -> m.buffers);
        return out;
    }

    public final Map<String, Module> namedChildren() {
        return Map.copyOf(children);
    }

    private void collect(String prefix, Map<String, Tensor> out, java.util.function.Function<Module, Map<String, Tensor>> own) {
        own.apply(this).forEach((name, t) -> out.put(prefix + name, t));
        children.forEach((name, child) -> child.collect(prefix + name + ".", out, own));
    }

    /** The number of trainable elements. */
    public final long parameterCount() {
        return parameters().stream().mapToLong(Tensor::numel).sum();
    }

    /** Sets training mode here and below (Dropout drops, BatchNorm uses batch statistics). */
    public Module train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    public final Module train() {
        return train(true);
    }

    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    public final void zeroGrad() {
        parameters().forEach(Tensor::zeroGrad);
    }

    /** Calls {@code f} on every module of the tree, children first, as PyTorch's {@code apply} (for init). */
    public final Module apply(Consumer<Module> f) {
        children.values().forEach(c -> c.apply(f));
        f.accept(this);
        return this;
    }

    /** Parameters and buffers by dotted name: what a safetensors file of this model holds. */
    public final Map<String, NDArray> stateDict() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> out.put(k, v.value()));
        namedBuffers().forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    /**
     * Copies {@code state} into this model's parameters and buffers. Everything is checked first (every
     * key present with the right shape, no unknown key unless {@code strict} is off), so a model is never
     * left half-loaded.
     */
    public final void loadStateDict(Map<String, NDArray> state, boolean strict) {
        Map<String, NDArray> own = stateDict();
        List<String> problems = new ArrayList<>();
        own.forEach((name, value) -> {
            NDArray given = state.get(name);
            if (given == null) {
                problems.add("missing " + name + " " + Shape.format(value.shape()));
            } else if (!Arrays.equals(given.shape(), value.shape())) {
                problems.add(name + " has shape " + Shape.format(given.shape()) + " but the model needs "
                        + Shape.format(value.shape()));
            }
        });
        if (strict) {
            state.keySet().stream().filter(k -> !own.containsKey(k)).sorted()
                    .forEach(k -> problems.add("unexpected " + k));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: the state does not fit " + getClass().getSimpleName()
                    + ": " + String.join("; ", problems));
        }
        own.forEach((name, value) -> value.copyFrom(state.get(name)));
    }

    /** One line of the architecture: the class and its settings, e.g. {@code Linear(in=64, out=10)}. */
    protected String describe() {
        return getClass().getSimpleName() + "()";
    }

    @Override
    public final String toString() {
        StringBuilder b = new StringBuilder();
        print(b, "");
        return b.append("\nparameters: ").append(String.format("%,d", parameterCount())).toString();
    }

    private void print(StringBuilder b, String indent) {
        b.append(describe());
        if (!children.isEmpty()) {
            b.append(" {");
            children.forEach((name, child) -> {
                b.append('\n').append(indent).append("  (").append(name).append("): ");
                child.print(b, indent + "  ");
                long count = child.parameterCount();
                if (count > 0) {
                    b.append("  # ").append(String.format("%,d", count)).append(" parameters");
                }
            });
            b.append('\n').append(indent).append('}');
        }
    }
}
