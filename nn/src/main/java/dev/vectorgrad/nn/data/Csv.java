package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.NDArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Numeric CSV files: every field a number, one column the label. Files ending in {@code .gz} are
 * decompressed. Every problem is a {@link CsvException} naming the file and the line: a missing file, an
 * empty one, a ragged or non-numeric row, a label that is not one of the classes.
 *
 * <pre>{@code
 * TensorDataset digits = Csv.read(Path.of("digits.csv.gz"), false, -1, 10);   // label last, classes 0..9
 * TensorDataset iris = Csv.read(Path.of("iris.csv"), true, 4, 3);              // a header line first
 * }</pre>
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
        Rows rows = parse(in, source, header);
        int columns = rows.columns();
        int label = labelColumn < 0 ? columns + labelColumn : labelColumn;
        if (label < 0 || label >= columns) {
            throw new CsvException(source, 0, "label column " + labelColumn + " does not exist in " + columns + " columns");
        }
        if (columns < 2) {
            throw new CsvException(source, 0, "rows have 1 column: no features besides the label");
        }
        int n = rows.values().size();
        float[] x = new float[n * (columns - 1)];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            double[] row = rows.values().get(r);
            if (classes > 0 && !(row[label] >= 0 && row[label] < classes && row[label] == Math.rint(row[label]))) {
                throw new CsvException(source, rows.lines()[r], "label " + number(row[label]) + " is not a class in 0.."
                        + (classes - 1));
            }
            for (int c = 0, k = 0; c < columns; c++) {
                if (c == label) {
                    y[r] = (float) row[c];
                } else {
                    x[r * (columns - 1) + k++] = (float) row[c];
                }
            }
        }
        return new TensorDataset(NDArray.of(x, n, columns - 1), NDArray.of(y, n));
    }

    /** Reads every column of {@code file} as features, e.g. rows to predict: shape {@code [rows, columns]}. */
    public static NDArray readFeatures(Path file, boolean header) throws IOException {
        try (InputStream in = open(file)) {
            Rows rows = parse(in, file.toString(), header);
            int n = rows.values().size();
            float[] x = new float[n * rows.columns()];
            for (int r = 0; r < n; r++) {
                double[] row = rows.values().get(r);
                for (int c = 0; c < row.length; c++) {
                    x[r * row.length + c] = (float) row[c];
                }
            }
            return NDArray.of(x, n, rows.columns());
        }
    }

    /** The data rows, each with the 1-based line it came from. */
    private record Rows(List<double[]> values, int[] lines) {

        int columns() {
            return values.getFirst().length;
        }
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

    private static Rows parse(InputStream in, String source, boolean header) throws IOException {
        InputStream raw;
        try {
            raw = source.endsWith(".gz") ? new GZIPInputStream(in) : in;
        } catch (ZipException e) {
            throw new CsvException(source, 0, "not a gzip file (its name ends in .gz)");
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
        List<double[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int columns = -1;
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if ((header && lineNumber == 1) || line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (columns < 0) {
                columns = fields.length;
            } else if (fields.length != columns) {
                throw new CsvException(source, lineNumber, fields.length + " fields, expected " + columns);
            }
            double[] row = new double[columns];
            for (int c = 0; c < columns; c++) {
                row[c] = field(fields[c].trim(), source, lineNumber, c);
            }
            rows.add(row);
            lines.add(lineNumber);
        }
        if (rows.isEmpty()) {
            throw new CsvException(source, 0, lineNumber == 0 ? "empty file" : "no data rows");
        }
        return new Rows(rows, lines.stream().mapToInt(Integer::intValue).toArray());
    }

    private static double field(String text, String source, int line, int column) throws CsvException {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!Double.isFinite(v)) {
            throw new CsvException(source, line, "field " + (column + 1) + " is not a number: \"" + text + "\"");
        }
        return v;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
