package dev.vectorgrad.examples;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Linear regression of {@code y = 3x + noise}, as the classic Keras snippet: 101 points on [-1, 1],
 * Gaussian noise of standard deviation 0.33, one Dense unit trained by SGD on the mean squared error.
 * Run: {@code tools/run-module examples dev.vectorgrad.examples.NoisyLineExample [OUT_DIR]}.
 */
public final class NoisyLineExample {

    private NoisyLineExample() {
    }

    public static void main(String[] args) throws IOException {
        run(LineFit.out(args, "noisy-line"), System.out);
    }

    static LineFit.Result run(Path out, PrintStream log) throws IOException {
        Generator g = new Generator(42);
        NDArray x = NDArray.linspace(DType.FLOAT32, -1, 1, 101);                 // X = np.linspace(-1, 1, 101)
        NDArray y = x.mul(3).add(NDArray.randn(g, 101).mul(0.33));               // Y = 3 * X + np.random.randn(101) * 0.33
        return LineFit.fit("y = 3x + noise", x, y, 100, 16, 0.1, 0, out, log);
    }
}
