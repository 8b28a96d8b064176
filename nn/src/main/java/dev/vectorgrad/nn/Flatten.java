package dev.vectorgrad.nn;

/** Flattens every axis after the first (the batch): {@code [n, c, h, w] -> [n, c*h*w]}. */
public final class Flatten extends Activation {

    public Flatten() {
        super("Flatten()", x -> x.reshape(x.size(0), -1));
    }
}
