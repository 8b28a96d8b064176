package dev.vectorgrad.examples;

import dev.vectorgrad.nn.train.Callback;
import dev.vectorgrad.nn.train.FitParams;
import dev.vectorgrad.nn.train.Model;
import java.io.PrintStream;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar per epoch on a terminal, as Keras draws one: samples done, the epoch's elapsed and
 * remaining time, samples per second and the running loss and metrics, redrawn in place by
 * me.tongfei:progressbar (cut to the terminal's width). At the epoch's end the bar gives way to
 * {@link EpochPrinter}'s full line, validation scores and the whole run's time left included.
 */
final class ProgressBarPrinter implements Callback {

    private final PrintStream out;
    private final EpochPrinter summary;
    private FitParams params;
    private ProgressBar bar;
    private InPlace line;

    ProgressBarPrinter(PrintStream out) {
        this.out = out;
        this.summary = new EpochPrinter(out);
    }

    /** This printer on a terminal, else {@link EpochPrinter}'s one line per epoch. */
    static Callback forOutput(PrintStream out, boolean terminal) {
        return terminal ? new ProgressBarPrinter(out) : new EpochPrinter(out);
    }

    /** Whether standard output is an interactive terminal (not a pipe, a file or CI's log). */
    static boolean stdoutIsTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    @Override
    public void onTrainBegin(Model model, FitParams params) {
        this.params = params;
        summary.onTrainBegin(model, params);
    }

    @Override
    public void onEpochBegin(Model model, int epoch) {
        line = new InPlace(out);
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("epoch %" + Integer.toString(params.epochs()).length() + "d/%d", epoch, params.epochs()))
                .setInitialMax(params.samples())
                .setUnit(" samples", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(100)
                .setConsumer(line)
                .build();
    }

    @Override
    public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
        bar.stepTo(Math.min((long) batch * params.batchSize(), params.samples()));
        bar.setExtraMessage(EpochPrinter.logLine(logs));
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        bar.close();
        line.erase();
        summary.onEpochEnd(model, epoch, logs);
    }

    /**
     * Draws the bar over itself and leaves the line open when the bar closes (the library would end it
     * with a newline), so that {@link #erase()} can make room for the epoch's summary.
     */
    private static final class InPlace extends ConsoleProgressBarConsumer {
        private final PrintStream out;

        InPlace(PrintStream out) {
            super(out);
            this.out = out;
        }

        @Override
        public void close() {
            out.flush();
        }

        void erase() {
            out.print("\r" + " ".repeat(getMaxRenderedLength()) + "\r");
        }
    }
}
