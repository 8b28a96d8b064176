package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import java.util.function.UnaryOperator;

/**
 * A parameter-free module that applies one function: the base of ReLU, Tanh, Sigmoid and the others,
 * which only name themselves and their function.
 *
 * <pre>{@code
 * Module act = new ReLU();
 * Tensor y = act.forward(x);
 * }</pre>
 */
public abstract class Activation extends Module {

    private final String description;
    private final UnaryOperator<Tensor> f;

    protected Activation(String description, UnaryOperator<Tensor> f) {
        this.description = description;
        this.f = f;
    }

    @Override
    public final Tensor forward(Tensor x) {
        return f.apply(x);
    }

    @Override
    protected final String describe() {
        return description;
    }
}
