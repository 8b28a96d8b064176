package dev.vectorgrad.examples;

import dev.vectorgrad.engine.NDArray;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Keras's "hello world": six points of {@code y = 2x + 3} ({@code xs = [-1, 0, 1, 2, 3, 4]}), one Dense
 * unit, SGD on the mean squared error for 500 epochs; the fitted slope and intercept come out close to 2 and 3.
 * Run: {@code tools/run-module examples dev.vectorgrad.examples.ExactLineExample [OUT_DIR]}.
 */
public final class ExactLineExample {

    private ExactLineExample() {
    }

    public static void main(String[] args) throws IOException {
        run(LineFit.out(args, "exact-line"), System.out);
    }

    static LineFit.Result run(Path out, PrintStream log) throws IOException {
        NDArray x = NDArray.of(new float[] {-1, 0, 1, 2, 3, 4}, 6);
        NDArray y = x.mul(2).add(3);
        return LineFit.fit("y = 2x + 3", x, y, 500, 6, 0.05, 0, out, log);
    }
}
