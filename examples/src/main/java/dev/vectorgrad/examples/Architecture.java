package dev.vectorgrad.examples;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import java.util.Map;

/**
 * A model the main job can train ({@code --model NAME}): how to build it for a number of input features
 * and outputs, its task, the data set it trains on by default and its default epochs and learning rate.
 * Adding a model is one entry in {@link #ALL}; a saved model file names its entry, so that
 * {@code predict} can rebuild it.
 */
record Architecture(String name, String summary, Task task, String defaultDataset, int defaultEpochs, double defaultLr,
                    Builder builder) {

    /** Builds the module, drawing its initial weights from {@code g}. */
    @FunctionalInterface
    interface Builder {
        Module build(int features, int outputs, Generator g);
    }

    static final Map<String, Architecture> ALL = Registry.byName(Architecture::name,
            new Architecture("mlp", "MLP features-128-classes with ReLU", Task.MULTICLASS, "digits", 40, 1e-3,
                    (in, out, g) -> new Sequential(new Linear(in, 128, g), new ReLU(), new Linear(128, out, g))),
            new Architecture("logreg", "logistic regression: one logit, binary cross-entropy", Task.BINARY, "breast_cancer", 40, 1e-2,
                    (in, out, g) -> new Linear(in, out, g)),
            new Architecture("softmax", "softmax regression: one linear layer, cross-entropy", Task.MULTICLASS, "iris", 100, 1e-2,
                    (in, out, g) -> new Linear(in, out, g)),
            new Architecture("linreg", "linear regression: one linear layer, mean squared error", Task.REGRESSION, "iris-petals", 100, 1e-2,
                    (in, out, g) -> new Linear(in, out, g)));

    Module build(int features, int classes, Generator g) {
        return builder.build(features, task.outputs(classes), g);
    }
}
