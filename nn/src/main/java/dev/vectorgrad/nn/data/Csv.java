package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Numeric CSV files: every field a number, one column the label. A ragged or non-numeric row is reported
 * with its line number. Files ending in {@code .gz} are decompressed.
 *
 * <pre>{@code
 * TensorDataset digits = Csv.read(Path.of("digits.csv.gz"), false, -1);   // label in the last column
 * }</pre>
 */
public final class Csv {

    private Csv() {
    }

    /** Reads {@code file}; {@code labelColumn} may count from the end (-1 is the last column). */
    public static TensorDataset read(Path file, boolean header, int labelColumn) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), header, labelColumn);
        } catch (NoSuchFileException e) {
            throw new IOException("csv: no such file " + file, e);
        }
    }

    /** Reads CSV text from {@code in} (gzip when {@code source} ends in .gz), naming {@code source} in errors. */
    public static TensorDataset read(InputStream in, String source, boolean header, int labelColumn) throws IOException {
        InputStream raw = source.endsWith(".gz") ? new GZIPInputStream(in) : in;
        BufferedReader reader = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
        List<double[]> rows = new ArrayList<>();
        int columns = -1;
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if ((header && lineNumber == 1) || line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (columns < 0) {
                columns = fields.length;
            } else if (fields.length != columns) {
                throw new IOException(source + ":" + lineNumber + ": " + fields.length + " fields, expected " + columns);
            }
            double[] row = new double[columns];
            for (int c = 0; c < columns; c++) {
                try {
                    row[c] = Double.parseDouble(fields[c].trim());
                } catch (NumberFormatException e) {
                    throw new IOException(source + ":" + lineNumber + ": field " + (c + 1) + " is not a number: \""
                            + fields[c].trim() + "\"");
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IOException(source + ": no data rows");
        }
        int label = labelColumn < 0 ? columns + labelColumn : labelColumn;
        if (label < 0 || label >= columns) {
            throw new IOException(source + ": label column " + labelColumn + " does not exist in " + columns + " columns");
        }
        float[] x = new float[rows.size() * (columns - 1)];
        float[] y = new float[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            double[] row = rows.get(r);
            for (int c = 0, k = 0; c < columns; c++) {
                if (c == label) {
                    y[r] = (float) row[c];
                } else {
                    x[r * (columns - 1) + k++] = (float) row[c];
                }
            }
        }
        return new TensorDataset(NDArray.of(x, rows.size(), columns - 1), NDArray.of(y, rows.size()));
    }

    /** Checks that labels are class indices {@code 0..classes-1}, naming the first row that is not. */
    public static void checkLabels(NDArray labels, int classes, String source) throws IOException {
        double[] v = labels.to(DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= classes || v[i] != Math.rint(v[i])) {
                throw new IOException(source + ": label " + v[i] + " of sample " + i + " is not a class in 0.." + (classes - 1));
            }
        }
    }
}
