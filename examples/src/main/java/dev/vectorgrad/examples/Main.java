package dev.vectorgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The README's first command: {@code ./vectorgrad} trains a model (the digits MLP by default, see
 * {@link TrainJob}); {@code ./vectorgrad predict ...} applies a saved one ({@link PredictJob}). Bad input
 * ends in one line on stderr and exit status 1 (2 for a bad command line), never a stack trace.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err, ProgressBarPrinter.stdoutIsTerminal());
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command line and returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        boolean predict = args.length > 0 && args[0].equals("predict");
        List<String> rest = Arrays.asList(args).subList(predict ? 1 : 0, args.length);
        try {
            if (predict) {
                PredictJob.run(PredictOptions.parse(rest), out, err);
            } else {
                TrainJob.run(Options.parse(rest), out, terminal);
            }
            return 0;
        } catch (CommandLine.HelpRequested help) {
            out.println(Options.usage());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("vectorgrad: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            err.println("vectorgrad: " + e.getMessage());
            return 1;
        }
    }
}
