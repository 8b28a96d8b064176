package dev.vectorgrad.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A command line of {@code --name value} options and {@code --flag}s, checked against the names a command
 * knows. An unknown option, a missing value or a bad number is an {@link IllegalArgumentException} with a
 * one-line message; {@code --help} (or {@code -h}) is {@link HelpRequested}.
 */
final class CommandLine {

    private final Map<String, String> given;

    private CommandLine(Map<String, String> given) {
        this.given = given;
    }

    static CommandLine parse(List<String> args, Set<String> valued, Set<String> flags) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--help") || a.equals("-h")) {
                throw new HelpRequested();
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + " (try --help)");
            }
            String name = a.substring(2);
            if (flags.contains(name)) {
                given.put(name, "");
            } else if (!valued.contains(name)) {
                throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            } else if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            } else {
                given.put(name, args.get(++i));
            }
        }
        return new CommandLine(given);
    }

    boolean has(String name) {
        return given.containsKey(name);
    }

    String text(String name, String fallback) {
        return given.getOrDefault(name, fallback);
    }

    /** One of {@code choices}, named in the error otherwise. */
    String choice(String name, String fallback, Set<String> choices) {
        String v = text(name, fallback);
        if (!choices.contains(v)) {
            throw new IllegalArgumentException("--" + name + " must be one of " + String.join(", ", choices) + "; got " + v);
        }
        return v;
    }

    int integer(String name, int fallback) {
        return value(name, fallback, Integer::valueOf, "a whole number");
    }

    /** A whole number of at least {@code min}. */
    int integer(String name, int fallback, int min) {
        int v = integer(name, fallback);
        if (v < min) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min + ", got " + v);
        }
        return v;
    }

    long whole(String name, long fallback) {
        return value(name, fallback, Long::valueOf, "a whole number");
    }

    double positive(String name, double fallback) {
        double v = value(name, fallback, Double::valueOf, "a number");
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("--" + name + " must be a positive number, got " + given.get(name));
        }
        return v;
    }

    private <T> T value(String name, T fallback, Function<String, T> parse, String what) {
        String v = given.get(name);
        try {
            return v == null ? fallback : parse.apply(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs " + what + ", got " + v);
        }
    }

    /** {@code --help}: print the usage and exit 0. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
