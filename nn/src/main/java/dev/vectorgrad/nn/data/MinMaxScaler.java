package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps each column's training range {@code [min, max]} onto {@code [0, 1]}, as scikit-learn's
 * MinMaxScaler; values outside the training range land outside {@code [0, 1]}. A constant column maps to 0.
 *
 * <pre>{@code
 * MinMaxScaler s = MinMaxScaler.fit(train.x());
 * NDArray scaled = s.transform(test.x());
 * }</pre>
 */
public record MinMaxScaler(NDArray min, NDArray max) implements Scaler {

    public static MinMaxScaler fit(NDArray x) {
        return new MinMaxScaler(x.min(0), x.max(0));
    }

    @Override
    public NDArray transform(NDArray x) {
        NDArray range = max.sub(min);
        return x.sub(min).div(NDArray.where(range.gt(0), range, NDArray.ones(range.dtype(), range.shape())));
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        state.put("min", min);
        state.put("max", max);
        return state;
    }
}
