package dev.vectorgrad.nn.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-epoch values of the loss and metrics, keyed as Keras does: {@code loss}, {@code accuracy},
 * {@code val_loss}, {@code val_accuracy}.
 *
 * <pre>{@code
 * History h = model.fit(train, options);
 * List<Double> val = h.get("val_loss");
 * }</pre>
 */
public final class History {

    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    void add(Map<String, Double> epoch) {
        epoch.forEach((k, v) -> values.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
    }

    public List<Double> get(String key) {
        return List.copyOf(values.getOrDefault(key, List.of()));
    }

    public Map<String, List<Double>> all() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    public int epochs() {
        return values.values().stream().mapToInt(List::size).max().orElse(0);
    }
}
