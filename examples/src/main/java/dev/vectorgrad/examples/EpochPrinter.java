package dev.vectorgrad.examples;

import dev.vectorgrad.nn.train.Callback;
import dev.vectorgrad.nn.train.FitParams;
import dev.vectorgrad.nn.train.Model;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** One line per epoch, for output that is not a terminal (CI, pipes): the logs, samples per second and the time left. */
final class EpochPrinter implements Callback {

    private final PrintStream out;
    private int epochs;
    private int samples;
    private long start;
    private long last;

    EpochPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onTrainBegin(Model model, FitParams params) {
        epochs = params.epochs();
        samples = params.samples();
        start = System.nanoTime();
        last = start;
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        long now = System.nanoTime();
        double seconds = (now - last) / 1e9;
        last = now;
        double eta = (now - start) / 1e9 / epoch * (epochs - epoch);
        out.println(String.format(Locale.ROOT, "epoch %" + Integer.toString(epochs).length() + "d/%d", epoch, epochs)
                + logLine(logs) + String.format(Locale.ROOT, "  %,.0f samples/s  eta %.1fs", samples / seconds, eta));
    }

    /** {@code "  loss 0.1234  accuracy 0.9650"}: the logs as the progress output shows them. */
    static String logLine(Map<String, Double> logs) {
        StringBuilder line = new StringBuilder();
        logs.forEach((k, v) -> line.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
        return line.toString();
    }
}
