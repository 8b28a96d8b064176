package dev.vectorgrad.examples;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.nn.CrossEntropyLoss;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.data.Csv;
import dev.vectorgrad.nn.data.Splits;
import dev.vectorgrad.nn.data.Standardizer;
import dev.vectorgrad.nn.data.TensorDataset;
import dev.vectorgrad.nn.io.SafeTensors;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.train.FitOptions;
import dev.vectorgrad.nn.train.History;
import dev.vectorgrad.nn.train.Metric;
import dev.vectorgrad.nn.train.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The main job: an MLP 64-128-10 on the digits data set (70% training, 15% validation, 15% test, split
 * with the seed), inputs standardised with the training split's statistics, Adam, cross-entropy.
 */
final class DigitsJob {

    static final int CLASSES = 10;

    private DigitsJob() {
    }

    /** Runs the job and returns the held-out test accuracy. */
    static double run(Options o, java.io.PrintStream log) throws IOException {
        Parallel.setThreads(o.threads());
        TensorDataset data = load(o.data());
        if (data.x().size(1) != 64) {
            throw new IOException((o.data() == null ? "digits" : o.data()) + ": rows have " + data.x().size(1)
                    + " features; the digits model needs 64");
        }
        Generator g = new Generator(o.seed());
        TensorDataset[] parts = Splits.split(data, new double[] {0.7, 0.15, 0.15}, g);
        Standardizer scale = Standardizer.fit(parts[0].x());
        TensorDataset train = parts[0].scaled(scale), validation = parts[1].scaled(scale), test = parts[2].scaled(scale);

        Sequential net = new Sequential(new Linear(64, 128, g), new ReLU(), new Linear(128, CLASSES, g));
        Model model = new Model(net).compile(new Adam(net.parameters(), o.lr()), new CrossEntropyLoss(), Metric.accuracy());
        log.printf("digits: %d training, %d validation, %d test samples; %d threads%n%s%n",
                train.size(), validation.size(), test.size(), o.threads(), net);
        EpochPrinter printer = new EpochPrinter(log, o.epochs(), train.size());
        History history = model.fit(train, FitOptions.defaults().epochs(o.epochs()).batchSize(o.batchSize())
                .validationData(validation).generator(g).callbacks(printer));

        double accuracy = model.evaluate(test, 256).get("accuracy");
        Files.createDirectories(o.out());
        Path weights = o.out().resolve("model.safetensors"), curves = o.out().resolve("learning-curves.png");
        SafeTensors.write(weights, net.stateDict(), Map.of("architecture", "Sequential(Linear(64,128), ReLU, Linear(128,10))",
                "seed", Long.toString(o.seed())));
        Charts.learningCurves(history, "accuracy", curves);
        log.printf("test accuracy %.2f%% (%d samples)%nsaved %s and %s%n", 100 * accuracy, test.size(), weights, curves);
        return accuracy;
    }

    private static TensorDataset load(Path file) throws IOException {
        if (file != null) {
            return Csv.read(file, false, -1, CLASSES);
        }
        try (InputStream in = DigitsJob.class.getResourceAsStream("/data/digits.csv.gz")) {
            if (in == null) {
                throw new IOException("the bundled digits data set is missing from the classpath");
            }
            return Csv.read(in, "digits.csv.gz", false, -1, CLASSES);
        }
    }

    /** The weights a run produced, for the determinism test. */
    static NDArray firstWeight(Path out) throws IOException {
        return SafeTensors.read(out.resolve("model.safetensors")).tensors().get("0.weight");
    }
}
