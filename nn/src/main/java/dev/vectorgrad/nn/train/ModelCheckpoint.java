package dev.vectorgrad.nn.train;

import dev.vectorgrad.nn.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IllegalFormatException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves the module's state dict as safetensors after each epoch, or with {@code saveBestOnly} only when
 * the monitored value improves, as Keras's ModelCheckpoint. The file path may name the epoch and any log
 * value with Python's format fields: {@code "ckpt/epoch{epoch:02d}-{val_loss:.3f}.safetensors"}. The
 * file's metadata holds the given entries plus the epoch and the logs.
 *
 * <pre>{@code
 * ModelCheckpoint best = new ModelCheckpoint("runs/best.safetensors", "val_accuracy", true, MonitorMode.AUTO, Map.of());
 * model.fit(train, FitOptions.defaults().epochs(30).validationData(val).callbacks(best));
 * }</pre>
 */
public final class ModelCheckpoint implements Callback {

    private static final Pattern FIELD = Pattern.compile("\\{(\\w+)(?::([^}]*))?}");

    private final String filepath;
    private final Monitor monitor;
    private final boolean saveBestOnly;
    private final Map<String, String> metadata;
    private double best;
    private Path lastSaved;

    public ModelCheckpoint(String filepath, String monitor, boolean saveBestOnly, MonitorMode mode, Map<String, String> metadata) {
        this.filepath = filepath;
        this.monitor = new Monitor(monitor, mode);
        this.saveBestOnly = saveBestOnly;
        this.metadata = Map.copyOf(metadata);
    }

    /** Saves after every epoch. */
    public ModelCheckpoint(String filepath) {
        this(filepath, "val_loss", false, MonitorMode.AUTO, Map.of());
    }

    @Override
    public void onTrainBegin(Model model, FitParams params) {
        best = monitor.worst();
        lastSaved = null;
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        if (saveBestOnly) {
            double current = monitor.value(logs, "ModelCheckpoint");
            if (!monitor.improves(current, best, 0)) {
                return;
            }
            best = current;
        }
        Path file = Path.of(path(filepath, epoch, logs));
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("epoch", Integer.toString(epoch));
        logs.forEach((k, v) -> meta.put(k, Double.toString(v)));
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            SafeTensors.write(file, model.module().stateDict(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot write " + file + ": " + e.getMessage(), e);
        }
        lastSaved = file;
    }

    /** The file written last, or null if none was. */
    public Path lastSaved() {
        return lastSaved;
    }

    /** {@code pattern} with {@code {epoch}}, {@code {epoch:03d}}, {@code {val_loss:.4f}}, ... filled in. */
    static String path(String pattern, int epoch, Map<String, Double> logs) {
        Matcher m = FIELD.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            Object value = key.equals("epoch") ? (Object) epoch : logs.get(key);
            if (value == null) {
                throw new IllegalArgumentException("ModelCheckpoint: the file path names {" + key + "}, which is neither "
                        + "epoch nor one of the logs " + logs.keySet());
            }
            String text;
            try {
                text = m.group(2) == null ? value.toString() : String.format(Locale.ROOT, "%" + m.group(2), value);
            } catch (IllegalFormatException e) {
                throw new IllegalArgumentException("ModelCheckpoint: cannot format " + key + " = " + value + " with '"
                        + m.group(2) + "' in the file path", e);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
