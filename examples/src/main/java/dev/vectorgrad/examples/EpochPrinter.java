package dev.vectorgrad.examples;

import dev.vectorgrad.nn.train.Callback;
import dev.vectorgrad.nn.train.Model;
import java.io.PrintStream;
import java.util.Map;

/** One line per epoch: the logs, samples per second and the time left. */
final class EpochPrinter implements Callback {

    private final PrintStream out;
    private final int epochs;
    private final int samples;
    private final long start = System.nanoTime();
    private long last = start;

    EpochPrinter(PrintStream out, int epochs, int samples) {
        this.out = out;
        this.epochs = epochs;
        this.samples = samples;
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        long now = System.nanoTime();
        double seconds = (now - last) / 1e9;
        last = now;
        double eta = (now - start) / 1e9 / epoch * (epochs - epoch);
        StringBuilder line = new StringBuilder(String.format("epoch %" + Integer.toString(epochs).length() + "d/%d", epoch, epochs));
        logs.forEach((k, v) -> line.append(String.format("  %s %.4f", k, v)));
        line.append(String.format("  %,.0f samples/s  eta %.1fs", samples / seconds, eta));
        out.println(line);
    }
}
