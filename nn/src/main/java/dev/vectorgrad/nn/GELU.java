package dev.vectorgrad.nn;

/**
 * {@code x * Φ(x)}, in PyTorch's tanh approximation ({@code approximate='tanh'}):
 * {@code 0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³)))}.
 */
public final class GELU extends Activation {

    private static final double C = Math.sqrt(2 / Math.PI);

    public GELU() {
        super("GELU(approximate=tanh)", x -> x.mul(x.pow(3).mul(0.044715).add(x).mul(C).tanh().add(1)).mul(0.5));
    }
}
