package dev.vectorgrad.nn;

/**
 * {@code x * Phi(x)}, the Gaussian error linear unit, as PyTorch's GELU: exact by default,
 * {@code x/2 (1 + erf(x / sqrt 2))}, or in the tanh approximation ({@code approximate="tanh"}),
 * {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
 *
 * <pre>{@code
 * Module act = new GELU();                 // approximate="none"
 * Module fast = new GELU("tanh");
 * }</pre>
 */
public final class GELU extends Activation {

    public GELU() {
        this("none");
    }

    public GELU(String approximate) {
        super("GELU(approximate=" + checked(approximate) + ")", x -> x.gelu(approximate));
    }

    private static String checked(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        }
        return approximate;
    }
}
