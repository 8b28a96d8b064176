package dev.vectorgrad.autodiff;

/**
 * The gradient rule of an op: given the gradient {@code g} of the op's output {@code y}, the gradient
 * of its input number {@code input}. It is asked only for inputs that require a gradient, and it is
 * written with Tensor ops so that the gradient is itself differentiable. It may return a gradient of
 * the output's (broadcast) shape: autodiff sums it back to the input's shape.
 *
 * <pre>{@code
 * Backward mul = (input, g, y) -> input == 0 ? g.mul(b) : g.mul(a);
 * Backward exp = (input, g, y) -> g.mul(y);
 * }</pre>
 */
@FunctionalInterface
public interface Backward {
    Tensor gradient(int input, Tensor g, Tensor y);
}
