package dev.vectorgrad.examples;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.MSELoss;
import dev.vectorgrad.nn.data.TensorDataset;
import dev.vectorgrad.nn.optim.SGD;
import dev.vectorgrad.nn.train.FitOptions;
import dev.vectorgrad.nn.train.History;
import dev.vectorgrad.nn.train.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Keras's first regression: one {@code Dense(1)} unit, SGD, mean squared error, fitted to points of a
 * line; shared by {@link NoisyLineExample} and {@link ExactLineExample}. Saves the points and the
 * fitted line as a PNG.
 */
final class LineFit {

    /** The fitted line {@code y = slope x + intercept} and the training history. */
    record Result(double slope, double intercept, History history, Path plot) {
    }

    private LineFit() {
    }

    static Result fit(String title, NDArray x, NDArray y, int epochs, int batchSize, double lr, long seed, Path out,
                      PrintStream log) throws IOException {
        Generator g = new Generator(seed);
        Linear dense = new Linear(1, 1, g);                                   // Dense(1, input_dim=1)
        Model model = new Model(dense).compile(new SGD(dense.parameters(), lr), new MSELoss());  // optimizer='sgd', loss='mse'
        History h = model.fit(new TensorDataset(x.reshape(-1, 1), y.reshape(-1, 1)),
                FitOptions.defaults().epochs(epochs).batchSize(batchSize).generator(g));
        double slope = dense.weight().value().item();
        double intercept = dense.bias().value().item();
        log.printf(Locale.ROOT, "%s: after %d epochs, loss %.5f; fitted y = %.4f x %s %.4f%n", title, epochs,
                h.get("loss").getLast(), slope, intercept < 0 ? "-" : "+", Math.abs(intercept));
        Files.createDirectories(out);
        Path png = out.resolve("fit.png");
        double[] xs = x.to(DType.FLOAT64).toDoubleArray();
        double lo = java.util.Arrays.stream(xs).min().orElseThrow(), hi = java.util.Arrays.stream(xs).max().orElseThrow();
        Charts.pointsAndLine(title, "x", "y", xs, y.to(DType.FLOAT64).toDoubleArray(),
                String.format(Locale.ROOT, "fitted: y = %.3f x %s %.3f", slope, intercept < 0 ? "-" : "+", Math.abs(intercept)),
                new double[] {lo, hi}, new double[] {slope * lo + intercept, slope * hi + intercept}, png);
        log.println("saved " + png);
        return new Result(slope, intercept, h, png);
    }

    /** The output folder: the first argument, or {@code runs/examples/NAME}. */
    static Path out(String[] args, String name) {
        return Path.of(args.length > 0 ? args[0] : "runs/examples/" + name);
    }
}
