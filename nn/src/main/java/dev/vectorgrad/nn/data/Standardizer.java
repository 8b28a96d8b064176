package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Subtracts each column's mean and divides by its standard deviation (population, as scikit-learn's
 * StandardScaler). A constant column keeps its scale (divides by 1) instead of dividing by 0.
 *
 * <pre>{@code
 * Standardizer s = Standardizer.fit(train.x());
 * NDArray z = s.transform(test.x());
 * }</pre>
 */
public record Standardizer(NDArray mean, NDArray std) implements Scaler {

    public static Standardizer fit(NDArray x) {
        NDArray std = x.std(new int[] {0}, false, 0);
        return new Standardizer(x.mean(0), NDArray.where(std.gt(0), std, NDArray.ones(std.dtype(), std.shape())));
    }

    @Override
    public NDArray transform(NDArray x) {
        return x.sub(mean).div(std);
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        state.put("mean", mean);
        state.put("std", std);
        return state;
    }
}
