package dev.vectorgrad.nn.io;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.optim.LRScheduler;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.StateDict;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Where training stood, and the one safetensors file that holds everything needed to resume it: the
 * model's state dict (arrays {@code model.<name>}), the optimizer's ({@code optimizer.<key>}: per-parameter
 * buffers as arrays, step counts and every group's hyper-parameters as strings), the scheduler's
 * ({@code scheduler.<key>}), the states of the random generators given by name ({@code generator.<name>}:
 * the data loader's shuffling, dropout's masks) and the epoch and step reached. The file is written atomically (a temporary
 * file beside it, forced to the disk, then moved into place), so a save that fails half-way leaves the
 * previous checkpoint whole. Loading checks the whole file against the model, optimizer and scheduler
 * before it changes any of them. Resuming continues bit for bit: the rates are saved with
 * {@link Double#toString}, which reads back exactly; with the generators restored, a run that shuffles or
 * drops out resumed at an epoch's end draws what the uninterrupted run draws. (A data loader draws an
 * epoch's order when its iteration starts: resuming inside an epoch needs the generator's state from
 * that epoch's start.)
 *
 * <pre>{@code
 * Map<String, Generator> random = Map.of("data", dataGenerator, "dropout", dropoutGenerator);
 * Checkpoint.save(Path.of("ckpt.safetensors"), model, optimizer, scheduler, new Checkpoint(epoch, step), random);
 * Checkpoint at = Checkpoint.load(Path.of("ckpt.safetensors"), model, optimizer, scheduler, random);   // at.epoch(), at.step()
 * }</pre>
 */
public record Checkpoint(long epoch, long step) {

    private static final String FORMAT = "vectorgrad-checkpoint";
    private static final String VERSION = "1";
    private static final String GENERATOR = "generator.";

    public Checkpoint {
        if (epoch < 0 || step < 0) {
            throw new IllegalArgumentException("Checkpoint: epoch and step must be >= 0, got " + epoch + " and " + step);
        }
    }

    /** Writes the model, the optimizer and the scheduler (null when there is none) and this position to {@code file}. */
    public static void save(Path file, Module model, Optimizer optimizer, LRScheduler scheduler, Checkpoint at)
            throws IOException {
        save(file, model, optimizer, scheduler, at, Map.of());
    }

    /** {@link #save(Path, Module, Optimizer, LRScheduler, Checkpoint)}, with the states of {@code generators} under their names. */
    public static void save(Path file, Module model, Optimizer optimizer, LRScheduler scheduler, Checkpoint at,
                            Map<String, Generator> generators) throws IOException {
        save(file, model, optimizer, scheduler, at, generators, UnaryOperator.identity());
    }

    /** {@link #save(Path, Module, Optimizer, LRScheduler, Checkpoint, Map)} with the file's stream passed through {@code wrap}. */
    static void save(Path file, Module model, Optimizer optimizer, LRScheduler scheduler, Checkpoint at,
                     Map<String, Generator> generators, UnaryOperator<OutputStream> wrap) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(FORMAT, VERSION);
        metadata.put("epoch", Long.toString(at.epoch()));
        metadata.put("step", Long.toString(at.step()));
        new TreeMap<>(generators).forEach((name, g) -> metadata.put(GENERATOR + name, Long.toString(g.getState())));
        model.stateDict().forEach((k, v) -> tensors.put("model." + k, v));
        add("optimizer.", optimizer.stateDict(), tensors, metadata);
        if (scheduler != null) {
            add("scheduler.", scheduler.stateDict(), tensors, metadata);
        }
        SafeTensors.write(file, tensors, metadata, wrap);
    }

    private static void add(String prefix, StateDict state, Map<String, NDArray> tensors, Map<String, String> metadata) {
        state.tensors().forEach((k, v) -> tensors.put(prefix + k, v));
        state.metadata().forEach((k, v) -> metadata.put(prefix + k, v));
    }

    /**
     * Reads {@code file} into the model, the optimizer and the scheduler (null when there is none: the file
     * must then hold none) and returns the position saved. Throws {@link SafeTensorsException} for a
     * malformed file and {@link IllegalArgumentException} when it does not fit; either way before anything
     * has changed.
     */
    public static Checkpoint load(Path file, Module model, Optimizer optimizer, LRScheduler scheduler) throws IOException {
        return load(file, model, optimizer, scheduler, Map.of());
    }

    /**
     * {@link #load(Path, Module, Optimizer, LRScheduler)}, and each of {@code generators} set to the state
     * saved under its name; the file must hold exactly these generators.
     */
    public static Checkpoint load(Path file, Module model, Optimizer optimizer, LRScheduler scheduler,
                                  Map<String, Generator> generators) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        List<String> problems = new ArrayList<>();
        if (!VERSION.equals(metadata.remove(FORMAT))) {
            throw new IllegalArgumentException("Checkpoint.load: " + file + " is not a checkpoint of version " + VERSION
                    + " (no " + FORMAT + " metadata of that value)");
        }
        long epoch = count(metadata.remove("epoch"), "epoch", problems);
        long step = count(metadata.remove("step"), "step", problems);
        Map<String, Long> states = new TreeMap<>();
        new TreeMap<>(generators).forEach((name, g) -> {
            String value = metadata.remove(GENERATOR + name);
            if (value == null) {
                problems.add("no state of generator '" + name + "'");
            } else {
                try {
                    states.put(name, Long.parseLong(value));
                } catch (NumberFormatException e) {
                    problems.add("generator '" + name + "' has state '" + value + "', not a 64-bit integer");
                }
            }
        });
        Map<String, NDArray> modelState = new LinkedHashMap<>();
        StateDict optimizerState = part("optimizer.", contents.tensors(), metadata);
        StateDict schedulerState = part("scheduler.", contents.tensors(), metadata);
        contents.tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) {
                modelState.put(k.substring("model.".length()), v);
            } else if (!k.startsWith("optimizer.") && !k.startsWith("scheduler.")) {
                problems.add("unexpected array " + k);
            }
        });
        metadata.keySet().stream().filter(k -> !k.startsWith("optimizer.") && !k.startsWith("scheduler."))
                .sorted().forEach(k -> problems.add(k.startsWith(GENERATOR)
                        ? "the file holds the state of generator '" + k.substring(GENERATOR.length()) + "', none was given to restore it"
                        : "unexpected metadata " + k));
        if (scheduler == null && !schedulerState.metadata().isEmpty()) {
            problems.add("the file holds a scheduler's state, none was given to restore it");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Checkpoint.load: " + file + ": " + String.join("; ", problems));
        }
        optimizer.checkStateDict(optimizerState);
        if (scheduler != null) {
            scheduler.checkStateDict(schedulerState);
        }
        model.loadStateDict(modelState, true);
        optimizer.loadStateDict(optimizerState);
        if (scheduler != null) {
            scheduler.loadStateDict(schedulerState);
        }
        states.forEach((name, state) -> generators.get(name).setState(state));
        return new Checkpoint(epoch, step);
    }

    /** The arrays and strings under {@code prefix}, with the prefix removed. */
    private static StateDict part(String prefix, Map<String, NDArray> tensors, Map<String, String> metadata) {
        Map<String, NDArray> t = new LinkedHashMap<>();
        Map<String, String> m = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                t.put(k.substring(prefix.length()), v);
            }
        });
        metadata.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return new StateDict(t, m);
    }

    private static long count(String value, String key, List<String> problems) {
        if (value != null && value.matches("\\d{1,18}")) {
            return Long.parseLong(value);
        }
        problems.add(key + " is " + (value == null ? "missing" : "'" + value + "', not a count"));
        return 0;
    }
}
