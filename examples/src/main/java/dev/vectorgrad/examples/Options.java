package dev.vectorgrad.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The training command line: every option has a default, so that {@code ./vectorgrad} alone trains the
 * digits MLP. An unknown option or a bad value is an {@link IllegalArgumentException} with a one-line message.
 */
record Options(Architecture model, DataSource dataset, Path data, boolean header, int labelColumn, int classes,
               int epochs, int batchSize, double lr, OptimizerKind optimizer, ScalerKind scaler, long seed, int threads,
               Path out) {

    private static final Set<String> VALUED = Set.of("model", "dataset", "data", "label-column", "classes", "epochs",
            "batch-size", "lr", "optimizer", "scaler", "seed", "threads", "out");
    private static final Set<String> FLAGS = Set.of("header");

    static String usage() {
        return """
                usage: ./vectorgrad [--model mlp] [--dataset NAME | --data FILE.csv[.gz] [--header] [--label-column -1] [--classes N]]
                                    [--epochs N] [--batch-size 32] [--lr X] [--optimizer adam] [--scaler standard|minmax]
                                    [--seed 0] [--threads N] [--out DIR]
                       ./vectorgrad predict --model-file DIR/model.safetensors --data ROWS.csv [--header] [--label-column N]
                Trains a model (70%% training, 15%% validation, 15%% test, split with the seed; features scaled with the
                training split's statistics), prints per-epoch progress and the held-out test scores, and saves
                DIR/model.safetensors (weights, architecture and scaler) and DIR/learning-curves.png
                (DIR: --out, by default runs/DATASET-MODEL). `predict` prints the predicted class (or value) of each row.

                --model         %s
                --dataset       a bundled data set (default: the model's): %s
                --data          a CSV file of numbers instead: one row per sample, the label in --label-column
                                (default -1, the last; negative counts from the end), --header if line 1 is a header;
                                labels are classes 0..N-1 with N from --classes (default: the model's data set's)
                --epochs, --lr  default per model (%s)
                --optimizer     %s
                --scaler        %s
                --seed          drives the split, the initial weights and the shuffling: same seed, same weights
                --threads       engine threads (default: the processors); any number gives the same weights
                """.formatted(
                Architecture.ALL.values().stream().map(a -> a.name() + " (" + a.summary() + ", default data " + a.defaultDataset() + ")")
                        .collect(Collectors.joining(";\n                ")),
                String.join(", ", DataSource.ALL.keySet()),
                Architecture.ALL.values().stream().map(a -> a.name() + " " + a.defaultEpochs() + " epochs, lr " + a.defaultLr())
                        .collect(Collectors.joining("; ")),
                String.join(", ", OptimizerKind.ALL.keySet()) + " (default adam)",
                String.join(", ", ScalerKind.ALL.keySet()) + ", fitted on the training split; default per model ("
                        + Architecture.ALL.values().stream().map(a -> a.name() + " " + a.defaultScaler()).collect(Collectors.joining(", "))
                        + ")")
                .stripTrailing();
    }

    static Options parse(List<String> args) {
        CommandLine c = CommandLine.parse(args, VALUED, FLAGS);
        Architecture model = Architecture.ALL.get(c.choice("model", "mlp", Architecture.ALL.keySet()));
        if (c.has("data") && c.has("dataset")) {
            throw new IllegalArgumentException("--data and --dataset exclude each other (--classes N gives a file's classes)");
        }
        if (!c.has("data")) {
            for (String fileOnly : List.of("header", "label-column", "classes")) {
                if (c.has(fileOnly)) {
                    throw new IllegalArgumentException("--" + fileOnly + " describes a --data FILE; the bundled data sets need none");
                }
            }
        }
        DataSource dataset = DataSource.ALL.get(c.choice("dataset", model.defaultDataset(), DataSource.ALL.keySet()));
        Path data = c.has("data") ? Path.of(c.text("data", null)) : null;
        int classes = dataset.classes();
        if (data != null && c.has("classes")) {
            if (model.task() == Task.REGRESSION) {
                throw new IllegalArgumentException("--classes is for classifiers; " + model.name() + " predicts real values");
            }
            classes = c.integer("classes", classes, 2);
        }
        String mismatch = model.task().mismatch(classes);
        if (mismatch != null) {
            throw new IllegalArgumentException("--model " + model.name() + " needs " + mismatch + "; " + (data != null
                    ? "--classes is " + classes : dataset.name() + (classes == 0 ? " has real-valued targets" : " has " + classes + " classes")));
        }
        String stem = data == null ? dataset.name() : data.getFileName().toString().replaceFirst("\\.csv(\\.gz)?$", "");
        return new Options(model, dataset, data, c.has("header"), c.integer("label-column", -1), classes,
                c.integer("epochs", model.defaultEpochs(), 1), c.integer("batch-size", 32, 1), c.positive("lr", model.defaultLr()),
                OptimizerKind.ALL.get(c.choice("optimizer", "adam", OptimizerKind.ALL.keySet())),
                ScalerKind.ALL.get(c.choice("scaler", model.defaultScaler(), ScalerKind.ALL.keySet())), c.whole("seed", 0),
                c.integer("threads", Runtime.getRuntime().availableProcessors(), 1),
                Path.of(c.text("out", "runs/" + stem + "-" + model.name())));
    }

    /** The data's name in logs and errors: the file, or the bundled data set. */
    String source() {
        return data != null ? data.toString() : dataset.name();
    }
}
