package dev.vectorgrad.nn.data;

import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a text, each at most {@link #MAX_LINE} characters, so that a file without line breaks
 * cannot make one string of its whole size. A line ends at {@code \n}, {@code \r\n} or {@code \r}; the
 * last one may have no ending. An empty line allocates nothing (a text of line breaks is no cost per line).
 */
final class CsvLines {

    /** The longest line read: 16 Mi characters, far beyond any table's row (784 pixels take 3 KiB). */
    static final int MAX_LINE = 1 << 24;

    private final Reader in;
    private final String source;
    private final char[] buffer = new char[1 << 13];
    private int at;
    private int end;
    /** Whether the last line ended in {@code \r}: a {@code \n} right after it ends nothing more. */
    private boolean afterCr;
    private int number;

    CsvLines(Reader in, String source) {
        this.in = in;
        this.source = source;
    }

    /** The 1-based number of the line returned last (0 before the first). */
    int number() {
        return number;
    }

    /** The next line without its ending, or null at the end of the text. */
    String next() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (at == end) {
                end = Math.max(0, in.read(buffer, 0, buffer.length));
                at = 0;
                if (end == 0) {
                    if (line == null) {
                        return null;
                    }
                    number++;
                    return line.toString();
                }
            }
            if (afterCr && buffer[at] == '\n') {
                at++;
                afterCr = false;
                continue;
            }
            afterCr = false;
            int start = at;
            while (at < end && buffer[at] != '\n' && buffer[at] != '\r') {
                at++;
            }
            if (line == null && at == start && at < end) {
                afterCr = buffer[at++] == '\r';
                number++;
                return "";
            }
            line = line == null ? new StringBuilder(at - start) : line;
            if (line.length() + (at - start) > MAX_LINE) {
                throw new CsvException(source, number + 1, "line longer than " + MAX_LINE + " characters");
            }
            line.append(buffer, start, at - start);
            if (at < end) {
                afterCr = buffer[at++] == '\r';
                number++;
                return line.toString();
            }
        }
    }
}
