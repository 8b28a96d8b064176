package dev.vectorgrad.nn.optim;

import dev.vectorgrad.engine.NDArray;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of an optimizer or a scheduler in the two kinds of things a safetensors file holds: arrays
 * (per-parameter buffers, under {@code state.<index>.<name>}) and strings (step counts, hyper-parameters,
 * a scheduler's counters), so that {@code SafeTensors.write(file, s.tensors(), s.metadata())} saves it.
 * Numbers are written with {@link Double#toString} and {@link Long#toString}, which read back exactly.
 *
 * <pre>{@code
 * StateDict s = optimizer.stateDict();
 * optimizer.loadStateDict(new StateDict(read.tensors(), read.metadata()));
 * }</pre>
 */
public record StateDict(Map<String, NDArray> tensors, Map<String, String> metadata) {

    public StateDict {
        tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }
}
