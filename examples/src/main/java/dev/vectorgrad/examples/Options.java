package dev.vectorgrad.examples;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The main job's command line: {@code --name value} pairs, each with a default, so that no argument is
 * needed. An unknown option or a bad value is an {@link IllegalArgumentException} with a one-line message.
 */
record Options(int epochs, int batchSize, double lr, long seed, int threads, Path out, Path data) {

    static final String USAGE = """
            usage: ./vectorgrad [--epochs 40] [--batch-size 32] [--lr 0.001] [--seed 0] [--threads N]
                                [--out runs/digits-mlp] [--data FILE.csv[.gz]]
            Trains an MLP on the bundled digits data set (or FILE: 64 features then a label 0..9 per row),
            prints per-epoch progress and the held-out test accuracy, and saves the model (safetensors)
            and its learning curves (PNG) into the output folder.""";

    static Options parse(String[] args) {
        Map<String, String> given = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                given.put("help", "");
                continue;
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(a.startsWith("--") ? "option " + a + " needs a value" : "unexpected argument " + a);
            }
            given.put(a.substring(2), args[++i]);
        }
        if (given.containsKey("help")) {
            throw new HelpRequested();
        }
        Options o = new Options(integer(given, "epochs", 40), integer(given, "batch-size", 32),
                real(given, "lr", 1e-3), integer(given, "seed", 0), integer(given, "threads",
                Runtime.getRuntime().availableProcessors()), Path.of(given.getOrDefault("out", "runs/digits-mlp")),
                given.containsKey("data") ? Path.of(given.get("data")) : null);
        for (String key : given.keySet()) {
            if (!java.util.Set.of("epochs", "batch-size", "lr", "seed", "threads", "out", "data").contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + " (try --help)");
            }
        }
        if (o.epochs < 1 || o.batchSize < 1 || o.threads < 1 || !(o.lr > 0)) {
            throw new IllegalArgumentException("--epochs, --batch-size, --threads and --lr must be positive");
        }
        return o;
    }

    private static int integer(Map<String, String> given, String key, int fallback) {
        return value(given, key, fallback, Integer::valueOf, "a whole number");
    }

    private static double real(Map<String, String> given, String key, double fallback) {
        return value(given, key, fallback, Double::valueOf, "a number");
    }

    private static <T> T value(Map<String, String> given, String key, T fallback,
                               java.util.function.Function<String, T> parse, String what) {
        String v = given.get(key);
        try {
            return v == null ? fallback : parse.apply(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs " + what + ", got " + v);
        }
    }

    /** {@code --help}: print the usage and exit 0. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
