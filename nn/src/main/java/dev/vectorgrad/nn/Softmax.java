package dev.vectorgrad.nn;

/** Softmax along an axis (numerically stable). */
public final class Softmax extends Activation {

    public Softmax(int axis) {
        super("Softmax(dim=" + axis + ")", x -> x.softmax(axis));
    }
}
