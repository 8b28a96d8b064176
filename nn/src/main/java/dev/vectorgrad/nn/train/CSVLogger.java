package dev.vectorgrad.nn.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one CSV row per epoch, {@code epoch} (from 1) then the log values, under a header of the first
 * epoch's log keys, as Keras's CSVLogger; a key missing from a later epoch is written {@code NA}. Each row
 * is flushed, so the file is complete up to the last finished epoch even if the run dies. With
 * {@code append}, rows go after an existing file's (and the header is not repeated).
 *
 * <pre>{@code
 * model.fit(train, FitOptions.defaults().epochs(10).callbacks(new CSVLogger(Path.of("log.csv"), false)));
 * }</pre>
 */
public final class CSVLogger implements Callback {

    private final Path file;
    private final boolean append;
    private BufferedWriter out;
    private List<String> keys;

    public CSVLogger(Path file, boolean append) {
        this.file = file;
        this.append = append;
    }

    @Override
    public void onTrainBegin(Model model, FitParams params) {
        try {
            boolean continuing = append && Files.exists(file) && Files.size(file) > 0;
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    continuing ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            keys = continuing ? headerOf(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> headerOf(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>(List.of(lines.findFirst().orElseThrow().split(",", -1)));
            header.removeFirst();
            return header;
        }
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        try {
            if (keys == null) {
                keys = List.copyOf(logs.keySet());
                out.write("epoch," + String.join(",", keys));
                out.newLine();
            }
            StringBuilder row = new StringBuilder(Integer.toString(epoch));
            for (String k : keys) {
                Double v = logs.get(k);
                row.append(',').append(v == null ? "NA" : v.toString());
            }
            out.write(row.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(Model model, Map<String, Double> logs) {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
