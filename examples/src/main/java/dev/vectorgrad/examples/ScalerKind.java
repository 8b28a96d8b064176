package dev.vectorgrad.examples;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.data.MinMaxScaler;
import dev.vectorgrad.nn.data.Scaler;
import dev.vectorgrad.nn.data.Standardizer;
import java.util.Map;
import java.util.function.Function;

/**
 * The feature scalers of {@code --scaler}: how to fit one on the training split, and how to rebuild it from
 * the statistics a model file stores ({@link Scaler#state()}).
 */
record ScalerKind(String name, Function<NDArray, Scaler> fit, Function<Map<String, NDArray>, Scaler> rebuild) {

    static final Map<String, ScalerKind> ALL = Registry.byName(ScalerKind::name,
            new ScalerKind("standard", Standardizer::fit, s -> new Standardizer(s.get("mean"), s.get("std"))),
            new ScalerKind("minmax", MinMaxScaler::fit, s -> new MinMaxScaler(s.get("min"), s.get("max"))));
}
