package dev.vectorgrad.nn.data;

import dev.vectorgrad.engine.NDArray;
import java.util.Map;

/**
 * A per-column transform of features, fitted on the training split only and then applied unchanged to
 * the validation and test splits (and to new data at prediction time), as scikit-learn's scalers.
 *
 * <pre>{@code
 * Scaler s = Standardizer.fit(train.x());
 * TensorDataset test2 = test.scaled(s);
 * }</pre>
 */
public interface Scaler {

    NDArray transform(NDArray x);

    /** The fitted statistics by name ({@code mean}, {@code std}, ...), enough to rebuild the scaler. */
    Map<String, NDArray> state();
}
