package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A layer or a model: a tree of named parameters, buffers and child modules, as PyTorch's
 * {@code nn.Module}. Subclasses register what they own in their constructor and compose autodiff ops in
 * {@link #forward}; no module writes a backward pass.
 *
 * <pre>{@code
 * Module model = new Sequential(new Linear(64, 128, g), new ReLU(), new Linear(128, 10, g));
 * model.namedParameters().keySet();   // [0.weight, 0.bias, 2.weight, 2.bias]
 * }</pre>
 *
 * <p>A module reads its parameters and buffers through {@link #parameter} and {@link #buffer} each time
 * it runs, never from a field saved at construction: {@link #to(DType)} replaces them with converted
 * tensors.
 *
 * <p>A bad input is reported with the module's place in its model and its description, in the form
 * {@code <path> <description>: <problem>}. The path starts at the root's class name and walks down the
 * children, {@code [i]} for a numbered child (of a Sequential or ModuleList) and {@code .name} for a named
 * one: {@code Sequential[1].encoder[0] Linear(in=128, out=10): input of shape [32, 64] does not end in 128
 * features}. A module outside any model has no path. A module registered in several models takes the path
 * of the first.
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> countBuffers = new HashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private Module parent;
    private String nameInParent;

    /** The module's output for {@code input}. */
    public abstract Tensor forward(Tensor input);

    /** Registers a trainable tensor: it becomes a leaf that requires a gradient. */
    protected final void registerParameter(String name, NDArray value) {
        parameters.put(name, Tensor.of(value).requiresGrad(true));
    }

    /** Registers state that is saved with the model but not trained (BatchNorm's running statistics). */
    protected final void registerBuffer(String name, NDArray value) {
        buffers.put(name, Tensor.of(value));
    }

    /**
     * Registers a whole-number buffer starting at 0 (BatchNorm's {@code num_batches_tracked}): a FLOAT64
     * scalar, exact up to 2^53, which {@link #to(DType)} leaves alone as PyTorch leaves its integer buffers.
     */
    protected final void registerCountBuffer(String name) {
        registerBuffer(name, NDArray.zeros(DType.FLOAT64));
        countBuffers.add(name);
    }

    /** Registers a child, whose parameters and buffers appear under {@code name.}; returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        children.put(name, module);
        Module child = module;
        if (child.parent == null) {
            child.parent = this;
            child.nameInParent = name;
        }
        return module;
    }

    /** This module's own parameter {@code name}, as it is now (after any {@link #to(DType)}). */
    protected final Tensor parameter(String name) {
        return own(parameters, "parameter", name);
    }

    /** This module's own buffer {@code name}, as it is now. */
    protected final Tensor buffer(String name) {
        return own(buffers, "buffer", name);
    }

    private Tensor own(Map<String, Tensor> map, String kind, String name) {
        Tensor t = map.get(name);
        if (t == null) {
            throw new IllegalStateException(describe() + ": no " + kind + " named " + name + " (it has " + map.keySet() + ")");
        }
        return t;
    }

    /**
     * Where this module sits in its model and what it is: {@code Sequential[2] Linear(in=128, out=10)}, or
     * only the description for a module outside any model.
     */
    public final String where() {
        return parent == null ? describe() : path() + " " + describe();
    }

    /** {@code Sequential[1].encoder[0]}: the root's class name, then each step down. */
    private String path() {
        if (parent == null) {
            return className();
        }
        boolean numbered = nameInParent.chars().allMatch(Character::isDigit);
        return parent.path() + (numbered ? "[" + nameInParent + "]" : "." + nameInParent);
    }

    /** The exception for a bad input to this module: {@code <where()>: <problem>}. */
    protected final IllegalArgumentException inputError(String problem) {
        return new ModuleInputException(where() + ": " + problem, null);
    }

    /**
     * Runs {@code child} on {@code x}, reporting an error from an op inside it (not already placed by a
     * module) at the child's place in the model: the containers' way to name the failing layer.
     */
    protected static Tensor forwardChild(Module child, Tensor x) {
        try {
            return child.forward(x);
        } catch (ModuleInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ModuleInputException(child.where() + ": " + e.getMessage(), e);
        }
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

    /** The direct children by name, in registration order. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    private void collect(String prefix, Map<String, Tensor> out, Function<Module, Map<String, Tensor>> own) {
        own.apply(this).forEach((name, t) -> out.put(prefix + name, t));
        children.forEach((name, child) -> child.collect(prefix + name + ".", out, own));
    }

    /** The number of trainable elements. */
    public final long parameterCount() {
        return parameters().stream().mapToLong(Tensor::numel).sum();
    }

    /**
     * Converts every parameter and buffer of the tree to {@code dtype}, as PyTorch's {@code .to(dtype)}:
     * each is replaced by a converted tensor (parameters stay leaves that require a gradient), count buffers
     * excepted. Call it before handing {@link #parameters()} to an optimizer, which holds the old tensors.
     *
     * <pre>{@code
     * Linear fc = new Linear(3, 2, g);
     * fc.to(DType.FLOAT64);   // now GradCheck can check it, parameters included
     * }</pre>
     */
    public final Module to(DType dtype) {
        apply(m -> {
            m.parameters.replaceAll((name, p) -> Tensor.of(p.value().to(dtype)).requiresGrad(p.requiresGrad()));
            m.buffers.replaceAll((name, b) -> m.countBuffers.contains(name) ? b : Tensor.of(b.value().to(dtype)));
        });
        return this;
    }

    /**
     * Runs {@code forward(input)} with the given tensors in place of the parameters and buffers of the same
     * dotted names (the others as they are), then puts the module's own back, as PyTorch's
     * {@code torch.func.functional_call}: for gradients with respect to other tensors than the module's own
     * (gradient checks, meta-learning).
     *
     * <pre>{@code
     * Tensor y = fc.functionalCall(Map.of("weight", w), x);   // x W^T + b with w for the weight
     * }</pre>
     */
    public final Tensor functionalCall(Map<String, Tensor> parametersAndBuffers, Tensor input) {
        return functionalCall(parametersAndBuffers, () -> forward(input));
    }

    /** {@link #functionalCall(Map, Tensor)} around any computation with this module (several inputs or outputs). */
    public final <T> T functionalCall(Map<String, Tensor> parametersAndBuffers, Supplier<T> call) {
        Map<String, Tensor> params = namedParameters();
        Map<String, Tensor> bufs = namedBuffers();
        parametersAndBuffers.forEach((name, t) -> {
            Tensor own = params.containsKey(name) ? params.get(name) : bufs.get(name);
            if (own == null) {
                throw new IllegalArgumentException("functionalCall: " + describe() + " has no parameter or buffer named " + name);
            }
            if (!Arrays.equals(own.shape(), t.shape())) {
                throw new IllegalArgumentException("functionalCall: " + name + " has shape " + Shape.format(own.shape())
                        + ", not " + Shape.format(t.shape()));
            }
        });
        try {
            parametersAndBuffers.forEach((name, t) -> swap(name, t));
            return call.get();
        } finally {
            params.forEach((name, t) -> swap(name, t));
            bufs.forEach((name, t) -> swap(name, t));
        }
    }

    /** Puts {@code t} under the dotted {@code name} (a parameter or buffer known to exist). */
    private void swap(String name, Tensor t) {
        int dot = name.indexOf('.');
        if (dot >= 0) {
            children.get(name.substring(0, dot)).swap(name.substring(dot + 1), t);
        } else {
            (parameters.containsKey(name) ? parameters : buffers).put(name, t);
        }
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

    /**
     * Parameters and buffers by dotted name, in PyTorch's order (each module's parameters, then its
     * buffers, then its children's): what a safetensors file of this model holds.
     */
    public final Map<String, NDArray> stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        collect("", tensors, m -> {
            Map<String, Tensor> own = new LinkedHashMap<>(m.parameters);
            own.putAll(m.buffers);
            return own;
        });
        Map<String, NDArray> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.value()));
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
        return className() + "()";
    }

    /** The class's simple name ({@code Module} for an anonymous class). */
    private String className() {
        String name = getClass().getSimpleName();
        return name.isEmpty() ? "Module" : name;
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
