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
 * which stays available to anyone who wants to write it out.
 *
 * <pre>{@code
 * Model model = new Model(net).compile(new Adam(net.parameters(), 1e-3), new CrossEntropyLoss(), Metric.accuracy());
 * History h = model.fit(train, validation, 20, 32, new Generator(0), List.of());
 * }</pre>
 */
public final class Model {

    private final Module module;
    private Optimizer optimizer;
    private Loss loss;
    private List<Metric> metrics = List.of();

    public Model(Module module) {
        this.module = module;
    }

    public Module module() {
        return module;
    }

    public Model compile(Optimizer optimizer, Loss loss, Metric... metrics) {
        this.optimizer = optimizer;
        this.loss = loss;
        this.metrics = List.of(metrics);
        return this;
    }

    /**
     * Trains for {@code epochs} passes over {@code train} in shuffled batches, evaluating on
     * {@code validation} (may be null) after each; callbacks see each epoch's logs and may stop early.
     */
    public History fit(Dataset train, Dataset validation, int epochs, int batchSize, Generator g, List<Callback> callbacks) {
        requireCompiled("fit");
        History history = new History();
        DataLoader loader = new DataLoader(train, batchSize, true, false, g);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            module.train();
            metrics.forEach(Metric::reset);
            double lossSum = 0;
            int seen = 0;
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
            }
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", lossSum / seen);
            metrics.forEach(m -> logs.put(m.name(), m.result()));
            if (validation != null) {
                evaluate(validation, batchSize).forEach((k, v) -> logs.put("val_" + k, v));
            }
            history.add(logs);
            boolean go = true;
            for (Callback c : callbacks) {
                go &= c.onEpochEnd(epoch, logs);
            }
            if (!go) {
                break;
            }
        }
        return history;
    }

    /** The loss and metrics over {@code data}, in eval mode and without recording a graph. */
    public Map<String, Double> evaluate(Dataset data, int batchSize) {
        requireCompiled("evaluate");
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
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", lossSum / seen);
        metrics.forEach(m -> out.put(m.name(), m.result()));
        return out;
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
