package dev.vectorgrad.examples;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The README's first command: {@code ./vectorgrad} trains the digits MLP (see {@link DigitsJob}). Bad
 * input ends in one line on stderr and exit status 1 (2 for a bad command line), never a stack trace.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.HelpRequested help) {
            System.out.println(Options.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("vectorgrad: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            DigitsJob.run(options, System.out);
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("vectorgrad: " + e.getMessage());
            System.exit(1);
        }
    }
}
