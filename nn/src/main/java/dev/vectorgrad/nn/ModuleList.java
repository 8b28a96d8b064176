package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Modules held in a list, named {@code 0, 1, 2, ...} as in PyTorch, so that their parameters are part of
 * the model; the owner decides how to call them (it has no forward of its own, as PyTorch's).
 *
 * <pre>{@code
 * ModuleList blocks = registerModule("blocks", new ModuleList(new Linear(8, 8, g), new Linear(8, 8, g)));
 * for (Module b : blocks) { x = b.forward(x).relu(); }            // parameters named blocks.0.weight, ...
 * }</pre>
 */
public final class ModuleList extends Module implements Iterable<Module> {

    private final List<Module> modules = new ArrayList<>();

    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public ModuleList add(Module m) {
        registerModule(Integer.toString(modules.size()), m);
        modules.add(m);
        return this;
    }

    public Module get(int i) {
        return modules.get(i);
    }

    public int size() {
        return modules.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return Collections.unmodifiableList(modules).iterator();
    }

    /** Always throws: a ModuleList only holds modules. */
    @Override
    public Tensor forward(Tensor input) {
        throw new IllegalStateException(where() + ": a ModuleList has no forward; call its modules");
    }

    @Override
    protected String describe() {
        return "ModuleList";
    }
}
