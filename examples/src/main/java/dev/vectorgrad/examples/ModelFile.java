package dev.vectorgrad.examples;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.data.Scaler;
import dev.vectorgrad.nn.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained model as one safetensors file that {@code predict} can use alone: the module's state dict,
 * the scaler's statistics as tensors {@code scaler.<name>}, and in the metadata the architecture's name
 * (an entry of {@link Architecture#ALL}), the number of features and classes and the scaler's kind.
 */
final class ModelFile {

    private static final String SCALER = "scaler.";

    /** A model file read back: the rebuilt module with its weights, and what it needs around it. */
    record Loaded(Architecture architecture, int features, int classes, Scaler scaler, Module module, Map<String, String> metadata) {
    }

    private ModelFile() {
    }

    static void save(Path file, Architecture architecture, int features, int classes, ScalerKind scalerKind, Scaler scaler,
                     Module module, Map<String, String> extra) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>(module.stateDict());
        scaler.state().forEach((k, v) -> tensors.put(SCALER + k, v));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("model", architecture.name());
        metadata.put("features", Integer.toString(features));
        metadata.put("classes", Integer.toString(classes));
        metadata.put("scaler", scalerKind.name());
        metadata.putAll(extra);
        SafeTensors.write(file, tensors, metadata);
    }

    static Loaded load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": " + (Files.exists(file) ? "not a file" : "no such file"));
        }
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        String name = meta.get("model");
        if (name == null) {
            throw new IOException(file + ": no model name in its metadata (not a file saved by ./vectorgrad)");
        }
        Architecture architecture = Architecture.ALL.get(name);
        if (architecture == null) {
            throw new IOException(file + ": holds a model '" + name + "', which this version does not know ("
                    + String.join(", ", Architecture.ALL.keySet()) + ")");
        }
        ScalerKind scalerKind = ScalerKind.ALL.get(meta.getOrDefault("scaler", ""));
        if (scalerKind == null) {
            throw new IOException(file + ": unknown scaler '" + meta.get("scaler") + "' in its metadata");
        }
        int features = count(file, meta, "features");
        int classes = count(file, meta, "classes");
        Map<String, NDArray> weights = new LinkedHashMap<>();
        Map<String, NDArray> scalerState = new LinkedHashMap<>();
        contents.tensors().forEach((k, v) -> {
            if (k.startsWith(SCALER)) {
                scalerState.put(k.substring(SCALER.length()), v);
            } else {
                weights.put(k, v);
            }
        });
        Module module;
        try {
            module = architecture.build(features, classes, new Generator(0));
            module.loadStateDict(weights, true);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": its tensors do not fit the " + name + " model it names (" + features
                    + " features, " + classes + " classes): " + e.getMessage(), e);
        }
        Scaler scaler = scalerKind.rebuild().apply(scalerState);
        for (Map.Entry<String, NDArray> e : scaler.state().entrySet()) {
            if (e.getValue() == null || e.getValue().numel() != features) {
                throw new IOException(file + ": the scaler's " + e.getKey() + " is missing or not one value per feature");
            }
        }
        return new Loaded(architecture, features, classes, scaler, module, meta);
    }

    private static int count(Path file, Map<String, String> meta, String key) throws IOException {
        try {
            int v = Integer.parseInt(meta.getOrDefault(key, ""));
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value found
        }
        throw new IOException(file + ": '" + key + "' in its metadata is not a count: " + meta.get(key));
    }
}
