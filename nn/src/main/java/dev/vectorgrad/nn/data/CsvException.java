package dev.vectorgrad.nn.data;

import java.io.IOException;

/**
 * A CSV file that cannot be read as numbers: the message names the file and, when one line is at fault,
 * its number ({@code data.csv:7: 3 fields, expected 5}). It is a checked {@link IOException}, the only
 * one {@link Csv} throws for what a file holds, however malformed (see {@link Csv} for the rules).
 *
 * <pre>{@code
 * try { Csv.read(file, false, -1); } catch (CsvException e) { System.err.println(e.getMessage()); }
 * }</pre>
 */
public final class CsvException extends IOException {

    private final String source;
    private final int line;

    CsvException(String source, int line, String problem) {
        super(source + (line > 0 ? ":" + line : "") + ": " + problem);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    /** The 1-based line at fault, or 0 when the problem is the whole file. */
    public int line() {
        return line;
    }
}
