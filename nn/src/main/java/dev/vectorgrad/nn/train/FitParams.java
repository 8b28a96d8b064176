package dev.vectorgrad.nn.train;

/**
 * What a {@link Model#fit} call will do, given to {@link Callback#onTrainBegin}: the number of epochs,
 * the batches (steps) and samples per epoch, and the batch size; Keras's {@code callback.params}.
 *
 * <pre>{@code
 * public void onTrainBegin(Model m, FitParams p) { bar = new Bar(p.steps()); }
 * }</pre>
 */
public record FitParams(int epochs, int steps, int samples, int batchSize) {
}
