package dev.vectorgrad.examples;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.data.Splits;
import dev.vectorgrad.nn.data.TensorDataset;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.train.FitOptions;
import dev.vectorgrad.nn.train.History;
import dev.vectorgrad.nn.train.Metric;
import dev.vectorgrad.nn.train.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's MNIST-shaped classifier: 784 inputs, Dense(10, relu), Dense(10, relu), Dense(10, softmax),
 * categorical cross-entropy, Adam. MNIST is not bundled; the bundled digits are, as 8x8 images, so each is
 * upsampled to 28x28 by bilinear interpolation: real handwriting in MNIST's shape, scaled to [0, 1] as
 * MNIST's pixels / 255 are. The softmax sits inside {@link CrossEntropyLoss} (stable for any logits), so
 * the last layer gives logits and {@code softmax(1)} of the prediction gives Keras's probabilities.
 * Run: {@code tools/run-module examples dev.vectorgrad.examples.DenseSoftmaxExample [OUT_DIR]}.
 */
public final class DenseSoftmaxExample {

    private DenseSoftmaxExample() {
    }

    public static void main(String[] args) throws IOException {
        run(LineFit.out(args, "dense-softmax-784"), System.out);
    }

    /** The held-out test scores and the training history. */
    record Result(Map<String, Double> test, History history) {
    }

    static Result run(Path out, PrintStream log) throws IOException {
        TensorDataset digits = DataSource.ALL.get("digits").load();
        TensorDataset images = new TensorDataset(upsample(digits.x().div(16), 8, 28), digits.y());
        Generator g = new Generator(0);
        TensorDataset[] parts = Splits.split(images, new double[] {0.85, 0.15}, g);
        Sequential net = new Sequential(
                new Linear(784, 10, g), new ReLU(),               // Dense(10, activation='relu', input_shape=(784,))
                new Linear(10, 10, g), new ReLU(),                // Dense(10, activation='relu')
                new Linear(10, 10, g));                           // Dense(10, activation='softmax'): softmax in the loss
        Model model = new Model(net).compile(new Adam(net.parameters(), 3e-3), new CrossEntropyLoss(), Metric.accuracy());
        History h = model.fit(parts[0], FitOptions.defaults().epochs(40).batchSize(32).validationSplit(0.1).generator(g)
                .callbacks(new EpochPrinter(log)));
        Map<String, Double> test = model.evaluate(parts[1], 256);
        Files.createDirectories(out);
        Path curves = out.resolve("learning-curves.png");
        Charts.learningCurves(h, "accuracy", curves);
        NDArray probabilities = model.predict(parts[1].x().slice(0, 0, 1), 1).softmax(1);
        log.printf(Locale.ROOT, "test accuracy %.2f%% (%d images of 28x28); first test image: class %d with probability %.3f%nsaved %s%n",
                100 * test.get("accuracy"), parts[1].size(), (int) probabilities.argmax().item(), probabilities.max().item(), curves);
        return new Result(test, h);
    }

    /**
     * Rows of {@code from x from} images resized to {@code to x to} by bilinear interpolation (pixel
     * centres aligned, as PyTorch's {@code interpolate(mode='bilinear', align_corners=False)}): one
     * product with the Kronecker square of the 1-D interpolation matrix.
     */
    static NDArray upsample(NDArray rows, int from, int to) {
        double[][] u = new double[to][from];
        for (int i = 0; i < to; i++) {
            double src = Math.min(Math.max((i + 0.5) * from / to - 0.5, 0), from - 1);
            int lo = (int) Math.floor(src);
            int hi = Math.min(lo + 1, from - 1);
            u[i][lo] += 1 - (src - lo);
            u[i][hi] += src - lo;
        }
        float[] k = new float[from * from * to * to];
        for (int a = 0; a < from; a++) {
            for (int b = 0; b < from; b++) {
                for (int i = 0; i < to; i++) {
                    for (int j = 0; j < to; j++) {
                        k[(a * from + b) * to * to + i * to + j] = (float) (u[i][a] * u[j][b]);
                    }
                }
            }
        }
        return rows.matmul(NDArray.of(k, from * from, to * to));
    }
}
