package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied in order, named {@code 0, 1, 2, ...} as in PyTorch. An error inside names the failing
 * layer's place (see {@link Module}): {@code Sequential[2] Linear(in=128, out=10): ...}.
 *
 * <pre>{@code
 * Sequential mlp = new Sequential(new Linear(64, 128, g), new ReLU(), new Linear(128, 10, g));
 * Tensor logits = mlp.forward(x);
 * }</pre>
 */
public final class Sequential extends Module {

    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) {
            add(m);
        }
    }

    public Sequential add(Module m) {
        registerModule(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module layer : layers) {
            x = forwardChild(layer, x);
        }
        return x;
    }

    @Override
    protected String describe() {
        return "Sequential";
    }
}
