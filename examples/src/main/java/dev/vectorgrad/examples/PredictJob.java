package dev.vectorgrad.examples;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.nn.data.Csv;
import dev.vectorgrad.nn.data.CsvException;
import dev.vectorgrad.nn.data.TensorDataset;
import dev.vectorgrad.nn.train.Metric;
import dev.vectorgrad.nn.train.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code ./vectorgrad predict}: rebuilds a saved model from its file and prints the predicted class (or
 * value) of each CSV row, one per line. With {@code --label-column} the rows' labels are left out of the
 * features and the accuracy (or mean absolute error) goes to the second stream.
 */
final class PredictJob {

    private PredictJob() {
    }

    /** Prints the predictions to {@code out}; returns them, one class or value per row. */
    static NDArray run(PredictOptions o, PrintStream out, PrintStream err) throws IOException {
        Parallel.setThreads(o.threads());
        ModelFile.Loaded loaded = ModelFile.load(o.modelFile());
        Task task = loaded.architecture().task();
        if (o.model() != null && !o.model().equals(loaded.architecture().name())) {
            throw new IOException(o.modelFile() + ": holds a " + loaded.architecture().name() + " model, not " + o.model());
        }
        NDArray x;
        TensorDataset labelled = null;
        try {
            if (o.labelColumn() == null) {
                x = Csv.readFeatures(o.data(), o.header());
            } else {
                labelled = task.targetsShaped(Csv.read(o.data(), o.header(), o.labelColumn(), loaded.classes()));
                x = labelled.x();
            }
        } catch (CsvException e) {
            throw TrainJob.headerHint(e, o.header());
        }
        if (x.size(1) != loaded.features()) {
            throw new IOException(o.data() + ": rows have " + x.size(1) + " features; the " + loaded.architecture().name()
                    + " model in " + o.modelFile() + " takes " + loaded.features()
                    + (o.labelColumn() == null && x.size(1) == loaded.features() + 1 ? " (is one column the label? add --label-column N)" : ""));
        }
        Model model = new Model(loaded.module());
        NDArray output = model.predict(loaded.scaler().transform(x), 256);
        for (int row = 0; row < x.size(0); row++) {
            out.println(task.describe(output, row));
        }
        if (labelled != null) {
            Metric score = task == Task.REGRESSION ? Metric.meanAbsoluteError() : Metric.accuracy();
            score.reset();
            score.update(output, labelled.y());
            err.printf(Locale.ROOT, "%s %.4f over %d rows%n", score.name(), score.result(), x.size(0));
        }
        return output;
    }
}
