package dev.vectorgrad.examples;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.BCELoss;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.Sigmoid;
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

/**
 * Keras's binary classifier on 8 features (the Pima diabetes snippet): Dense(12, relu), Dense(8, relu),
 * Dense(1, sigmoid), binary cross-entropy, Adam, accuracy, 20% held out for validation. No 8-feature
 * set is bundled, so the data are generated with a known rule: 768 rows of 8 standard normal features,
 * labelled 1 when {@code x0 + x1 - x2 + x3 x4 > 0}; features 5 to 7 are noise the model must learn to
 * ignore, and the product needs the hidden layers. {@link GoalReached} stops training once the validation
 * accuracy reaches 90%. Run: {@code tools/run-module examples dev.vectorgrad.examples.BinaryClassifierExample [OUT_DIR]}.
 */
public final class BinaryClassifierExample {

    private BinaryClassifierExample() {
    }

    public static void main(String[] args) throws IOException {
        run(LineFit.out(args, "binary-classifier"), System.out);
    }

    /** 768 rows of 8 features and their 0/1 labels by the rule above. */
    static TensorDataset data(Generator g) {
        NDArray x = NDArray.randn(g, 768, 8);
        NDArray score = x.select(1, 0).add(x.select(1, 1)).sub(x.select(1, 2)).add(x.select(1, 3).mul(x.select(1, 4)));
        return new TensorDataset(x, score.gt(0).to(x.dtype()).reshape(768, 1));
    }

    static History run(Path out, PrintStream log) throws IOException {
        Generator g = new Generator(7);
        Sequential net = new Sequential(
                new Linear(8, 12, g), new ReLU(),                 // Dense(12, input_shape=(8,), activation='relu')
                new Linear(12, 8, g), new ReLU(),                 // Dense(8, activation='relu')
                new Linear(8, 1, g), new Sigmoid());              // Dense(1, activation='sigmoid')
        Model model = new Model(net).compile(new Adam(net.parameters(), 1e-3), new BCELoss(), Metric.binaryAccuracy(0.5));
        GoalReached goal = new GoalReached("val_accuracy", 0.9, log);
        History h = model.fit(data(g), FitOptions.defaults().epochs(150).batchSize(10).validationSplit(0.2).generator(g)
                .callbacks(goal, new EpochPrinter(log)));
        Files.createDirectories(out);
        Path curves = out.resolve("learning-curves.png");
        Charts.learningCurves(h, "accuracy", curves);
        log.printf(Locale.ROOT, "stopped after %d epochs: loss %.4f, validation accuracy %.4f%nsaved %s%n", h.epochs(),
                h.get("loss").getLast(), h.get("val_accuracy").getLast(), curves);
        return h;
    }
}
