package dev.vectorgrad.nn.optim;

import dev.vectorgrad.engine.NDArray;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an optimizer keeps for one parameter, as an entry of PyTorch's {@code optimizer.state}: the number
 * of updates it has had and named arrays of its shape (Adam's {@code expAvg} and {@code expAvgSq}, SGD's
 * {@code momentumBuffer}, ...), each created the first time an update asks for it.
 *
 * <pre>{@code
 * NDArray m = state.buffer("expAvg", param, 0);          // zeros of param's shape and dtype on the first step
 * double correction = 1 - Math.pow(0.9, state.step());
 * }</pre>
 */
public final class ParamState {

    private long step;
    private final Map<String, NDArray> buffers = new TreeMap<>();

    ParamState(long step) {
        this.step = step;
    }

    /** The number of updates of this parameter, this one included while it runs. */
    public long step() {
        return step;
    }

    void advance() {
        step++;
    }

    /** The named array, or null before it is created. */
    public NDArray buffer(String name) {
        return buffers.get(name);
    }

    /** The named array, created full of {@code initialValue} with the shape and dtype of {@code like} when absent. */
    public NDArray buffer(String name, NDArray like, double initialValue) {
        NDArray b = buffers.get(name);
        if (b == null) {
            b = NDArray.full(like.dtype(), initialValue, like.shape());
            buffers.put(name, b);
        }
        return b;
    }

    void put(String name, NDArray value) {
        buffers.put(name, value);
    }

    /** The arrays by name, sorted; a read-only view of the live arrays. */
    public Map<String, NDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }
}
