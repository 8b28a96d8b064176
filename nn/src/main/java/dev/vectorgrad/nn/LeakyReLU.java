package dev.vectorgrad.nn;

/** {@code x} where positive, {@code slope * x} elsewhere (PyTorch's default slope 0.01). */
public final class LeakyReLU extends Activation {

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double slope) {
        super("LeakyReLU(slope=" + slope + ")", x -> x.maximum(x.mul(slope)));
    }
}
