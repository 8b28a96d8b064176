package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.NDArray;

/** Inputs and targets of a mini-batch, first axis the batch. */
public record Batch(NDArray x, NDArray y) {

    public int size() {
        return x.size(0);
    }
}
