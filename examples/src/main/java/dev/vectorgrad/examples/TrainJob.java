package dev.vectorgrad.examples;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.data.Csv;
import dev.vectorgrad.nn.data.CsvException;
import dev.vectorgrad.nn.data.Scaler;
import dev.vectorgrad.nn.data.Splits;
import dev.vectorgrad.nn.data.TensorDataset;
import dev.vectorgrad.nn.train.Callback;
import dev.vectorgrad.nn.train.FitOptions;
import dev.vectorgrad.nn.train.History;
import dev.vectorgrad.nn.train.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The main job: loads the data (a bundled set or a CSV file), splits it 70/15/15 with the seed, scales
 * the features with statistics of the training split, trains the chosen {@link Architecture} with
 * validation after each epoch, reports the test split's scores and saves the model file and the charts.
 */
final class TrainJob {

    /** What a run produced: the test split's loss and metrics, and the files written. */
    record Result(Map<String, Double> test, Path modelFile, Path curves, Path fitPlot) {
    }

    private TrainJob() {
    }

    static Result run(Options o, PrintStream log, boolean terminal) throws IOException {
        Parallel.setThreads(o.threads());
        Architecture arch = o.model();
        Task task = arch.task();
        TensorDataset data = o.data() == null ? o.dataset().load() : readFile(o.data(), o.header(), o.labelColumn(), o.classes());
        int features = data.x().size(1);
        Generator g = new Generator(o.seed());
        TensorDataset[] parts = Splits.split(data, new double[] {0.7, 0.15, 0.15}, g);
        requireEverySplit(o.source(), parts);
        createOutputFolder(o.out());
        Scaler scaler = o.scaler().fit().apply(parts[0].x());
        TensorDataset train = task.targetsShaped(parts[0].scaled(scaler));
        TensorDataset validation = task.targetsShaped(parts[1].scaled(scaler));
        TensorDataset test = task.targetsShaped(parts[2].scaled(scaler));

        Module net = arch.build(features, o.classes(), g);
        Model model = new Model(net).compile(o.optimizer().create().apply(net.parameters(), o.lr()), task.loss(), task.metrics());
        log.printf(Locale.ROOT, "%s: %d training, %d validation, %d test samples, %d features%s; %s, lr %s; %d threads%n%s%n",
                o.source(), train.size(), validation.size(), test.size(), features,
                o.classes() > 0 ? ", " + o.classes() + " classes" : "", o.optimizer().name(), o.lr(), o.threads(), net);
        Callback progress = ProgressBarPrinter.forOutput(log, terminal);
        History history = model.fit(train, FitOptions.defaults().epochs(o.epochs()).batchSize(o.batchSize())
                .validationData(validation).generator(g).callbacks(progress));

        Map<String, Double> scores = model.evaluate(test, 256);
        Path weights = o.out().resolve("model.safetensors");
        Path curves = o.out().resolve("learning-curves.png");
        ModelFile.save(weights, arch, features, o.classes(), o.scaler(), scaler, net,
                Map.of("data", o.source(), "seed", Long.toString(o.seed()), "epochs", Integer.toString(history.epochs())));
        Charts.learningCurves(history, task.mainMetric(), curves);
        Path fitPlot = task == Task.REGRESSION ? plotFit(o, model, scaler, data, o.out().resolve("fit.png")) : null;
        log.println(testLine(task, scores, test.size()));
        log.printf("saved %s and %s%s%n", weights, curves, fitPlot == null ? "" : " and " + fitPlot);
        return new Result(scores, weights, curves, fitPlot);
    }

    /** Creates the --out folder before training, so that a path that cannot be one fails at once and says why. */
    static void createOutputFolder(Path out) throws IOException {
        try {
            Files.createDirectories(out);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(e.getFile() + ": exists and is not a folder (--out DIR names the folder for the run's files)", e);
        }
    }

    /** Refuses data too small for the 70/15/15 split to give each part a sample, naming the sizes it gives. */
    static void requireEverySplit(String source, TensorDataset[] parts) throws IOException {
        if (Arrays.stream(parts).anyMatch(p -> p.size() == 0)) {
            int rows = Arrays.stream(parts).mapToInt(TensorDataset::size).sum();
            throw new IOException(String.format(Locale.ROOT, "%s: too few rows (%d): the 70/15/15 split gives %d training, "
                    + "%d validation and %d test samples, and each needs at least one", source, rows, parts[0].size(), parts[1].size(),
                    parts[2].size()));
        }
    }

    /** Reads a --data file; a first line that is not numbers gets a hint about --header. */
    static TensorDataset readFile(Path file, boolean header, int labelColumn, int classes) throws IOException {
        try {
            return Csv.read(file, header, labelColumn, classes);
        } catch (CsvException e) {
            throw headerHint(e, header);
        }
    }

    static IOException headerHint(CsvException e, boolean header) {
        return e.line() == 1 && !header && e.getMessage().contains("is not a number")
                ? new IOException(e.getMessage() + " (is line 1 a header? add --header)", e) : e;
    }

    private static String testLine(Task task, Map<String, Double> scores, int samples) {
        if (task == Task.REGRESSION) {
            return String.format(Locale.ROOT, "test mse %.4f, mae %.4f (%d samples)", scores.get("loss"), scores.get("mae"), samples);
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "test accuracy %.2f%%", 100 * scores.get("accuracy")));
        for (String k : new String[] {"precision", "recall", "f1"}) {
            if (scores.containsKey(k)) {
                line.append(String.format(Locale.ROOT, ", %s %.4f", k, scores.get(k)));
            }
        }
        return line.append(String.format(Locale.ROOT, " (%d samples)", samples)).toString();
    }

    /**
     * The regression's fit: with one feature, the data and the fitted line in the feature's own units;
     * with several, each sample's prediction against its true value beside the diagonal.
     */
    private static Path plotFit(Options o, Model model, Scaler scaler, TensorDataset data, Path png) throws IOException {
        double[] y = data.y().to(DType.FLOAT64).toDoubleArray();
        if (data.x().size(1) == 1) {
            double[] x = data.x().to(DType.FLOAT64).toDoubleArray();
            double lo = Arrays.stream(x).min().orElseThrow(), hi = Arrays.stream(x).max().orElseThrow();
            NDArray grid = NDArray.linspace(DType.FLOAT32, lo, hi, 50).reshape(50, 1);
            double[] fitted = model.predict(scaler.transform(grid), 256).to(DType.FLOAT64).toDoubleArray();
            DataSource d = o.data() == null ? o.dataset() : null;
            Charts.pointsAndLine(d != null ? d.summary() : o.source(), d != null ? d.featureTitle() : "feature",
                    d != null ? d.targetTitle() : "target", x, y, "fitted line",
                    grid.to(DType.FLOAT64).toDoubleArray(), fitted, png);
        } else {
            double[] predicted = model.predict(scaler.transform(data.x()), 256).to(DType.FLOAT64).toDoubleArray();
            double lo = Arrays.stream(y).min().orElseThrow(), hi = Arrays.stream(y).max().orElseThrow();
            Charts.pointsAndLine(o.source() + ": predicted against true", "true value", "predicted", y, predicted,
                    "predicted = true", new double[] {lo, hi}, new double[] {lo, hi}, png);
        }
        return png;
    }
}
