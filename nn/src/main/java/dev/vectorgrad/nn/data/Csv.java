package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.NDArray;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Numeric CSV files: every field a number, one column the label. Files ending in {@code .gz} are
 * decompressed. Every problem with the content is a {@link CsvException} naming the file and the line: a
 * missing file, an empty one, a ragged or non-numeric row, a number beyond FLOAT32, a label that is not
 * one of the classes, a line longer than 16 Mi characters, corrupt gzip data. (A failing disk is the
 * {@link IOException} it throws.)
 *
 * <pre>{@code
 * TensorDataset digits = Csv.read(Path.of("digits.csv.gz"), false, -1, 10);   // label last, classes 0..9
 * TensorDataset iris = Csv.read(Path.of("iris.csv"), true, 4, 3);              // a header line first
 * }</pre>
 *
 * <p>The text is UTF-8 (a byte order mark at the start is skipped; bytes that are not UTF-8 make their
 * field non-numeric); lines end in {@code \n}, {@code \r\n} or {@code \r}; blank lines are skipped; a
 * field is a decimal number ({@code -1}, {@code 2.5}, {@code .5}, {@code 1e-3}) with spaces around it
 * allowed, and nothing else: no quotes, {@code NaN}, {@code Infinity}, hexadecimal or Java suffixes
 * ({@code 1f}). The values are held as FLOAT32 while the file is read, so the heap taken grows with
 * the (decompressed) text: about 4 bytes a field, at most some 8 bytes per byte of text.
 */
public final class Csv {

    private Csv() {
    }

    /** Reads {@code file} with real-valued targets; {@code labelColumn} may count from the end (-1 is the last column). */
    public static TensorDataset read(Path file, boolean header, int labelColumn) throws IOException {
        return read(file, header, labelColumn, 0);
    }

    /**
     * Reads {@code file} whose label column holds class indices {@code 0..classes-1}; a row with any other
     * label is reported with its line. {@code classes = 0} takes the label as a real value (regression).
     */
    public static TensorDataset read(Path file, boolean header, int labelColumn, int classes) throws IOException {
        try (InputStream in = open(file)) {
            return read(in, file.toString(), header, labelColumn, classes);
        }
    }

    /** Reads CSV text from {@code in} (gzip when {@code source} ends in .gz), naming {@code source} in errors. */
    public static TensorDataset read(InputStream in, String source, boolean header, int labelColumn, int classes)
            throws IOException {
        if (classes < 0) {
            throw new IllegalArgumentException("Csv.read: classes must be >= 0 (0 for real-valued targets), got " + classes);
        }
        Rows rows = parse(in, source, header, new Label(labelColumn, classes));
        int n = rows.count(), columns = rows.columns(), label = rows.label();
        float[] x = grow(new float[0], n * (columns - 1), source, 0);
        float[] y = grow(new float[0], n, source, 0);
        for (int r = 0, k = 0; r < n; r++) {
            for (int c = 0; c < columns; c++) {
                float v = rows.values()[r * columns + c];
                if (c == label) {
                    y[r] = v;
                } else {
                    x[k++] = v;
                }
            }
        }
        return new TensorDataset(NDArray.of(x, n, columns - 1), NDArray.of(y, n));
    }

    /** Reads every column of {@code file} as features, e.g. rows to predict: shape {@code [rows, columns]}. */
    public static NDArray readFeatures(Path file, boolean header) throws IOException {
        try (InputStream in = open(file)) {
            Rows rows = parse(in, file.toString(), header, null);
            return NDArray.of(grow(rows.values(), rows.count() * rows.columns(), file.toString(), 0), rows.count(), rows.columns());
        }
    }

    /** Which column is the label ({@code column} may count from the end) and how many classes it has (0: real). */
    private record Label(int column, int classes) {
    }

    /** {@code count} rows of {@code columns} values, row after row (the array may be longer); {@code label} resolved. */
    private record Rows(float[] values, int count, int columns, int label) {
    }

    private static InputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CsvException(file.toString(), 0, "is a directory, not a CSV file");
        }
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new CsvException(file.toString(), 0, "no such file");
        } catch (AccessDeniedException e) {
            throw new CsvException(file.toString(), 0, "permission denied");
        } catch (FileSystemException e) {
            throw new CsvException(file.toString(), 0, e.getReason() == null ? "cannot be opened" : e.getReason());
        }
    }

    private static Rows parse(InputStream in, String source, boolean header, Label label) throws IOException {
        boolean gzip = source.endsWith(".gz");
        InputStream raw;
        try {
            raw = gzip ? new GZIPInputStream(in) : in;
        } catch (ZipException | EOFException e) {
            throw new CsvException(source, 0, "not a gzip file (its name ends in .gz)");
        }
        CsvLines lines = new CsvLines(new InputStreamReader(raw, StandardCharsets.UTF_8), source);
        float[] values = new float[1024];
        int size = 0, columns = -1, labelAt = -1;
        try {
            for (String line = lines.next(); line != null; line = lines.next()) {
                int number = lines.number();
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if ((header && number == 1) || line.isBlank()) {
                    continue;
                }
                int fields = 1;
                for (int comma = line.indexOf(','); comma >= 0; comma = line.indexOf(',', comma + 1)) {
                    fields++;
                }
                if (columns < 0) {
                    columns = fields;
                    labelAt = label == null ? -1 : labelColumn(source, label, columns);
                } else if (fields != columns) {
                    throw new CsvException(source, number, fields + " fields, expected " + columns);
                }
                if ((long) size + columns > Integer.MAX_VALUE - 8) {
                    throw new CsvException(source, number, "more than 2^31-1 values in all");
                }
                if (size + columns > values.length) {
                    values = grow(values, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(size + columns,
                            values.length + (long) values.length / 2)), source, number);
                }
                for (int c = 0, from = 0; c < columns; c++) {
                    int to = line.indexOf(',', from);
                    to = to < 0 ? line.length() : to;
                    double v = field(line.substring(from, to).trim(), source, number, c);
                    if (c == labelAt && label.classes() > 0 && !(v >= 0 && v < label.classes() && v == Math.rint(v))) {
                        throw new CsvException(source, number, "label " + shown(v) + " is not a class in 0.." + (label.classes() - 1));
                    }
                    values[size++] = (float) v;
                    from = to + 1;
                }
            }
        } catch (ZipException | EOFException e) {
            if (!gzip) {
                throw e;
            }
            throw new CsvException(source, 0, "truncated or corrupt gzip data (" + e.getMessage() + ")");
        }
        if (columns < 0) {
            throw new CsvException(source, 0, lines.number() == 0 ? "empty file" : "no data rows");
        }
        return new Rows(values, size / columns, columns, labelAt);
    }

    /**
     * {@code values} copied into an array of {@code length}. A text bigger than the heap (a gzip file
     * expands up to a thousandfold) fails here, in one large allocation that leaves the heap as it was,
     * which is why its OutOfMemoryError can be reported as the file's fault.
     */
    private static float[] grow(float[] values, int length, String source, int line) throws CsvException {
        try {
            return Arrays.copyOf(values, length);
        } catch (OutOfMemoryError e) {
            throw new CsvException(source, line, "the data does not fit in the heap (" + length + " values, "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB at most)");
        }
    }

    /** The label's column among {@code columns}, checked to exist and to leave features beside it. */
    private static int labelColumn(String source, Label label, int columns) throws CsvException {
        int at = label.column() < 0 ? columns + label.column() : label.column();
        if (at < 0 || at >= columns) {
            throw new CsvException(source, 0, "label column " + label.column() + " does not exist in " + columns + " columns");
        }
        if (columns < 2) {
            throw new CsvException(source, 0, "rows have 1 column: no features besides the label");
        }
        return at;
    }

    /** The value of a field: a decimal number whose FLOAT32 value is finite. */
    private static double field(String text, String source, int line, int column) throws CsvException {
        if (!isDecimal(text)) {
            throw new CsvException(source, line, "field " + (column + 1) + " is not a number: \"" + shown(text) + "\"");
        }
        double v = Double.parseDouble(text);
        if (!Float.isFinite((float) v)) {
            throw new CsvException(source, line, "field " + (column + 1) + " is " + shown(text) + ", beyond the FLOAT32 range");
        }
        return v;
    }

    /** {@code [+-] digits [. digits] [e [+-] digits]}, with at least one digit before the exponent; ASCII digits only. */
    private static boolean isDecimal(String s) {
        int i = sign(s, 0);
        int start = i;
        i = digits(s, i);
        int integer = i - start;
        if (i < s.length() && s.charAt(i) == '.') {
            int fraction = i + 1;
            i = digits(s, fraction);
            integer += i - fraction;
        }
        if (integer == 0) {
            return false;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int exponent = sign(s, i + 1);
            i = digits(s, exponent);
            if (i == exponent) {
                return false;
            }
        }
        return i == s.length();
    }

    private static int sign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    private static int digits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /**
     * A field as a message shows it: cut after 40 characters, since a field may be megabytes long, and
     * control characters as {@code \\uXXXX} escapes, since a message goes to a terminal.
     */
    private static String shown(String text) {
        StringBuilder b = new StringBuilder();
        text.substring(0, Math.min(text.length(), 40)).chars()
                .forEach(c -> b.append(c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return text.length() <= 40 ? b.toString() : b + "... (" + text.length() + " characters)";
    }

    private static String shown(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
