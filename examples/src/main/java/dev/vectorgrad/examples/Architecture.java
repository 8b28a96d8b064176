package dev.vectorgrad.examples;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.Unflatten;
import java.util.Map;

/**
 * A model the main job can train ({@code --model NAME}): how to build it for a number of input features
 * and outputs, its task, the data set it trains on by default and its default epochs, learning rate and
 * scaler (an entry of {@link ScalerKind#ALL}).
 * Adding a model is one entry in {@link #ALL}; a saved model file names its entry, so that
 * {@code predict} can rebuild it.
 */
record Architecture(String name, String summary, Task task, String defaultDataset, int defaultEpochs, double defaultLr,
                    String defaultScaler, Builder builder) {

    /** Builds the module, drawing its initial weights from {@code g}. */
    @FunctionalInterface
    interface Builder {
        Module build(int features, int outputs, Generator g);
    }

    static final Map<String, Architecture> ALL = Registry.byName(Architecture::name,
            new Architecture("mlp", "MLP features-128-classes with ReLU", Task.MULTICLASS, "digits", 40, 1e-3, "standard",
                    (in, out, g) -> new Sequential(new Linear(in, 128, g), new ReLU(), new Linear(128, out, g))),
            // Min-max scaling keeps the pixels' proportions (the digits' pixels all range over 0..16), where
            // standardising each pixel blows up the rare ink at the borders.
            new Architecture("cnn", "CNN on square images: conv3x3(16)-pool-conv3x3(32)-pool-linear with ReLU", Task.MULTICLASS,
                    "digits", 30, 3e-3, "minmax", Architecture::cnn),
            new Architecture("logreg", "logistic regression: one logit, binary cross-entropy", Task.BINARY, "breast_cancer", 40,
                    1e-2, "standard", (in, out, g) -> new Linear(in, out, g)),
            new Architecture("softmax", "softmax regression: one linear layer, cross-entropy", Task.MULTICLASS, "iris", 100, 1e-2,
                    "standard", (in, out, g) -> new Linear(in, out, g)),
            new Architecture("linreg", "linear regression: one linear layer, mean squared error", Task.REGRESSION, "iris-petals",
                    100, 1e-2, "standard", (in, out, g) -> new Linear(in, out, g)));

    /**
     * The features as a one-channel square image (digits: 8x8), two blocks of a 3x3 convolution keeping
     * the size, ReLU and a 2x2 max-pool (8x8 to 4x4 to 2x2), then one linear layer over the 32 channels.
     */
    private static Module cnn(int features, int outputs, Generator g) {
        int side = (int) Math.round(Math.sqrt(features));
        if (side * side != features || side < 4) {
            throw new IllegalArgumentException("--model cnn needs square images, a square number of features of at least 16"
                    + " (one a pixel); got " + features + " features");
        }
        int pooled = side / 4;
        return new Sequential(new Unflatten(1, 1, side, side),
                new Conv2d(1, 16, 3, 1, 1, g), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 3, 1, 1, g), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(32 * pooled * pooled, outputs, g));
    }

    Module build(int features, int classes, Generator g) {
        return builder.build(features, task.outputs(classes), g);
    }
}
