package dev.vectorgrad.nn.train;

import dev.vectorgrad.autodiff.Autograd;
import dev.vectorgrad.autodiff.Scope;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.data.Batch;
import dev.vectorgrad.nn.data.DataLoader;
import dev.vectorgrad.nn.data.Dataset;
import dev.vectorgrad.nn.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's convenience over a module: {@code compile} once, then {@code fit}, {@code evaluate} and
 * {@code predict}. Each training step is the explicit PyTorch loop (forward, loss, backward, step),
 * which stays available to anyone who wants to write it out. Callbacks reach the module, the optimizer
 * (an {@link LRSchedulerCallback} steps a learning-rate schedule) and {@link #stopTraining()}.
 *
 * <pre>{@code
 * Model model = new Model(net).compile(new Adam(net.parameters(), 1e-3), new CrossEntropyLoss(), Metric.accuracy());
 * History h = model.fit(train, FitOptions.defaults().epochs(20).validationData(validation).generator(new Generator(0)));
 * }</pre>
 */
public final class Model {

    private final Module module;
    private Optimizer optimizer;
    private Loss loss;
    private List<Metric> metrics = List.of();
    private boolean stopRequested;

    public Model(Module module) {
        this.module = module;
    }

    public Module module() {
        return module;
    }

    /** The optimizer given to {@link #compile}, or null before. */
    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public Model compile(Optimizer optimizer, Loss loss, Metric... metrics) {
        this.optimizer = optimizer;
        this.loss = loss;
        this.metrics = List.of(metrics);
        return this;
    }

    /** Asks {@link #fit} to return after the current batch or epoch: Keras's {@code model.stop_training = True}. */
    public void stopTraining() {
        stopRequested = true;
    }

    /**
     * Trains for {@code options.epochs()} passes over {@code data} in batches, evaluating on the validation
     * data (if any) after each epoch, calling the callbacks' hooks; returns each epoch's logs.
     */
    public History fit(Dataset data, FitOptions options) {
        requireCompiled("fit");
        Dataset train = data;
        Dataset validation = options.validationData();
        if (options.validationSplit() > 0) {
            int splitAt = (int) Math.floor(data.size() * (1 - options.validationSplit()));
            if (splitAt == 0 || splitAt == data.size()) {
                throw new IllegalArgumentException("Model.fit: a validation split of " + options.validationSplit()
                        + " leaves " + splitAt + " of " + data.size() + " samples for training");
            }
            train = data.range(0, splitAt);
            validation = data.range(splitAt, data.size());
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("Model.fit: no training samples");
        }
        Generator g = options.generator() != null ? options.generator() : new Generator(0);
        DataLoader loader = new DataLoader(train, options.batchSize(), options.shuffle(), false, g).prefetch(options.prefetch());
        List<Callback> callbacks = options.callbacks();
        stopRequested = false;
        FitParams params = new FitParams(options.epochs(), loader.batches(), train.size(), options.batchSize());
        callbacks.forEach(c -> c.onTrainBegin(this, params));
        History history = new History();
        Map<String, Double> logs = Map.of();
        for (int epoch = 1; epoch <= options.epochs() && !stopRequested; epoch++) {
            for (Callback c : callbacks) {
                c.onEpochBegin(this, epoch);
            }
            logs = trainEpoch(loader, callbacks);
            if (validation != null) {
                for (Map.Entry<String, Double> e : evaluate(validation, options.batchSize()).entrySet()) {
                    logs.put("val_" + e.getKey(), e.getValue());
                }
            }
            history.add(logs);
            for (Callback c : callbacks) {
                c.onEpochEnd(this, epoch, logs);
            }
        }
        Map<String, Double> last = logs;
        callbacks.forEach(c -> c.onTrainEnd(this, last));
        return history;
    }

    /** One pass of training steps; the epoch's mean loss and metrics. */
    private Map<String, Double> trainEpoch(DataLoader loader, List<Callback> callbacks) {
        module.train();
        metrics.forEach(Metric::reset);
        double lossSum = 0;
        int seen = 0;
        int batch = 0;
        for (Batch b : loader) {
            Tensor output = module.forward(Tensor.of(b.x()));
            Tensor l = loss.forward(output, Tensor.of(b.y()));
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
            lossSum += l.item() * b.size();
            seen += b.size();
            for (Metric m : metrics) {
                m.update(output.value(), b.y());
            }
            batch++;
            if (!callbacks.isEmpty()) {
                Map<String, Double> running = results(lossSum / seen);
                for (Callback c : callbacks) {
                    c.onBatchEnd(this, batch, running);
                }
            }
            if (stopRequested) {
                break;
            }
        }
        return results(lossSum / seen);
    }

    private Map<String, Double> results(double meanLoss) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", meanLoss);
        metrics.forEach(m -> out.put(m.name(), m.result()));
        return out;
    }

    /** The loss and metrics over {@code data}, in eval mode and without recording a graph. */
    public Map<String, Double> evaluate(Dataset data, int batchSize) {
        requireCompiled("evaluate");
        if (data.size() == 0) {
            throw new IllegalArgumentException("Model.evaluate: no samples");
        }
        module.eval();
        metrics.forEach(Metric::reset);
        double lossSum = 0;
        int seen = 0;
        try (Scope ignored = Autograd.noGrad()) {
            for (Batch b : new DataLoader(data, batchSize, false, false, null)) {
                Tensor output = module.forward(Tensor.of(b.x()));
                lossSum += loss.forward(output, Tensor.of(b.y())).item() * b.size();
                seen += b.size();
                for (Metric m : metrics) {
                    m.update(output.value(), b.y());
                }
            }
        }
        return results(lossSum / seen);
    }

    /** The module's outputs for {@code x}, in eval mode, in batches, without a graph. */
    public NDArray predict(NDArray x, int batchSize) {
        module.eval();
        List<NDArray> parts = new ArrayList<>();
        try (Scope ignored = Autograd.noGrad()) {
            for (int from = 0; from < x.size(0); from += batchSize) {
                parts.add(module.forward(Tensor.of(x.slice(0, from, Math.min(from + batchSize, x.size(0))))).value());
            }
        }
        return NDArray.cat(0, parts.toArray(NDArray[]::new));
    }

    private void requireCompiled(String op) {
        if (optimizer == null || loss == null) {
            throw new IllegalStateException("Model." + op + ": call compile(optimizer, loss, metrics...) first");
        }
    }
}
