package dev.vectorgrad.nn;

/** {@code x * sigmoid(x)}. */
public final class SiLU extends Activation {

    public SiLU() {
        super("SiLU()", x -> x.mul(x.sigmoid()));
    }
}
