package dev.vectorgrad.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The {@code predict} command line: the model file and the rows to predict, with {@code --label-column}
 * when the rows also hold labels (then dropped from the features, and the accuracy is reported), and
 * {@code --model NAME} to insist on the architecture the file must hold.
 */
record PredictOptions(Path modelFile, Path data, boolean header, Integer labelColumn, String model, int threads) {

    private static final Set<String> VALUED = Set.of("model-file", "data", "label-column", "model", "threads");
    private static final Set<String> FLAGS = Set.of("header");

    static PredictOptions parse(List<String> args) {
        CommandLine c = CommandLine.parse(args, VALUED, FLAGS);
        for (String required : List.of("model-file", "data")) {
            if (!c.has(required)) {
                throw new IllegalArgumentException("predict needs --" + required + " (try --help)");
            }
        }
        String model = c.has("model") ? c.choice("model", null, Architecture.ALL.keySet()) : null;
        return new PredictOptions(Path.of(c.text("model-file", null)), Path.of(c.text("data", null)), c.has("header"),
                c.has("label-column") ? c.integer("label-column", -1) : null, model,
                c.integer("threads", Runtime.getRuntime().availableProcessors(), 1));
    }
}
