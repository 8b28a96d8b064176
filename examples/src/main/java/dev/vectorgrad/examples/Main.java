package dev.vectorgrad.examples;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;

/** The main job. Until training lands, a short tour of the engine. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        NDArray x = NDArray.randn(new Generator(0), 4, 3);
        System.out.println("x = " + x);
        System.out.println("softmax(x, 1) = " + x.softmax(1));
        System.out.println("x.T @ x = " + x.transpose(0, 1).matmul(x));
        System.out.println("logSoftmax([1000, 0]) = " + NDArray.of(new float[] {1000, 0}, 2).logSoftmax(0));
    }
}
