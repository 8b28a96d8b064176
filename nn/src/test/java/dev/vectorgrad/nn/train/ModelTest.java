package dev.vectorgrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.MSELoss;
import dev.vectorgrad.nn.data.Batch;
import dev.vectorgrad.nn.data.Dataset;
import dev.vectorgrad.nn.data.TensorDataset;
import dev.vectorgrad.nn.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ModelTest {

    /** y = 2 x0 - x1 + 0.5 exactly, 20 samples: a linear model fits it to any precision. */
    static TensorDataset line(int n) {
        NDArray x = NDArray.randn(new Generator(7), n, 2);
        NDArray y = x.select(1, 0).mul(2).sub(x.select(1, 1)).add(0.5).reshape(n, 1);
        return new TensorDataset(x, y);
    }

    static Model linearModel(double lr) {
        Linear net = new Linear(2, 1, new Generator(1));
        return new Model(net).compile(new SGD(net.parameters(), lr), new MSELoss(), Metric.meanAbsoluteError());
    }

    /** A dataset that records which samples were asked for. */
    static final class Recording implements Dataset {
        final TensorDataset data;
        final Set<Integer> seen = new TreeSet<>();

        Recording(TensorDataset data) {
            this.data = data;
        }

        @Override
        public int size() {
            return data.size();
        }

        @Override
        public Batch batch(int[] indices) {
            for (int i : indices) {
                seen.add(i);
            }
            return data.batch(indices);
        }
    }

    @Test
    void fitLearnsAndLogsPerEpochInKerasNames() {
        Model model = linearModel(0.1);
        History h = model.fit(line(40), FitOptions.defaults().epochs(30).batchSize(8).validationData(line(10)));
        assertEquals(List.of("loss", "mae", "val_loss", "val_mae"), List.copyOf(h.all().keySet()));
        assertEquals(30, h.epochs());
        List<Double> loss = h.get("loss");
        assertTrue(loss.getLast() < 1e-4 * loss.getFirst(), "loss " + loss.getFirst() + " -> " + loss.getLast());
        Map<String, Double> eval = model.evaluate(line(10), 4);
        assertEquals(h.get("val_loss").getLast(), eval.get("loss"), 1e-12, "evaluate after fit gives the last validation loss");
        NDArray predicted = model.predict(NDArray.of(new float[] {1, 1, 0, 0}, 2, 2), 1);
        assertArrayEquals(new float[] {1.5f, 0.5f}, predicted.toFloatArray(), 1e-2f);
    }

    @Test
    void validationSplitTakesTheLastFractionBeforeShuffling() {
        Recording data = new Recording(line(10));
        List<Integer> validationSizes = new ArrayList<>();
        History h = linearModel(0.01).fit(data, FitOptions.defaults().epochs(2).batchSize(3).validationSplit(0.3)
                .callbacks(new Callback() {
                    @Override
                    public void onTrainBegin(Model model, FitParams params) {
                        assertEquals(new FitParams(2, 3, 7, 3), params);
                    }
                }));
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), data.seen);
        assertTrue(h.all().containsKey("val_loss"));
        Recording trainOnly = new Recording(line(10));
        Model probe = linearModel(0.01);
        probe.fit(trainOnly, FitOptions.defaults().epochs(1).batchSize(3).validationSplit(0.3).callbacks(new Callback() {
            @Override
            public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
                validationSizes.add(trainOnly.seen.size());
            }

            @Override
            public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
                assertTrue(trainOnly.seen.stream().allMatch(i -> i < 7), "training saw " + trainOnly.seen);
            }
        }));
        assertEquals(List.of(10), validationSizes);
        assertEquals("Model.fit: a validation split of 0.95 leaves 0 of 10 samples for training", assertThrows(
                IllegalArgumentException.class, () -> linearModel(0.1).fit(line(10), FitOptions.defaults().validationSplit(0.95)))
                .getMessage());
    }

    @Test
    void hooksRunInKerasOrderWithRunningBatchLogs() {
        List<String> calls = new ArrayList<>();
        List<Map<String, Double>> lastBatch = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override
            public void onTrainBegin(Model model, FitParams params) {
                calls.add("trainBegin " + params.steps());
            }

            @Override
            public void onEpochBegin(Model model, int epoch) {
                calls.add("epochBegin " + epoch);
            }

            @Override
            public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
                calls.add("batch " + batch);
                lastBatch.add(Map.copyOf(logs));
            }

            @Override
            public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
                calls.add("epochEnd " + epoch);
                assertEquals(lastBatch.getLast().get("loss"), logs.get("loss"), "the last running loss is the epoch's");
                assertEquals(lastBatch.getLast().get("mae"), logs.get("mae"));
            }

            @Override
            public void onTrainEnd(Model model, Map<String, Double> logs) {
                calls.add("trainEnd");
            }
        };
        linearModel(0.1).fit(line(5), FitOptions.defaults().epochs(2).batchSize(2).callbacks(recorder));
        assertEquals(List.of("trainBegin 3", "epochBegin 1", "batch 1", "batch 2", "batch 3", "epochEnd 1",
                "epochBegin 2", "batch 1", "batch 2", "batch 3", "epochEnd 2", "trainEnd"), calls);
    }

    @Test
    void aCallbackStopsTrainingAfterTheBatchOrEpoch() {
        Callback stopAtEpoch2 = new Callback() {
            @Override
            public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
                if (epoch == 2) {
                    model.stopTraining();
                }
            }
        };
        assertEquals(2, linearModel(0.1).fit(line(8), FitOptions.defaults().epochs(10).batchSize(2).callbacks(stopAtEpoch2)).epochs());
        List<Integer> batches = new ArrayList<>();
        Callback stopAtBatch2 = new Callback() {
            @Override
            public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
                batches.add(batch);
                if (batch == 2) {
                    model.stopTraining();
                }
            }
        };
        History h = linearModel(0.1).fit(line(8), FitOptions.defaults().epochs(10).batchSize(2).callbacks(stopAtBatch2));
        assertEquals(List.of(1, 2), batches);
        assertEquals(1, h.epochs(), "the stopped epoch still logs");
        assertEquals(3, linearModel(0.1).fit(line(8), FitOptions.defaults().epochs(3).batchSize(2)).epochs(), "a new fit starts afresh");
    }

    @Test
    void sameSeedSameWeightsWithOrWithoutPrefetching() {
        float[][] weights = new float[3][];
        for (int run = 0; run < 3; run++) {
            Model model = linearModel(0.05);
            model.fit(line(50), FitOptions.defaults().epochs(3).batchSize(4).generator(new Generator(run == 2 ? 9 : 3))
                    .prefetch(run == 1));
            weights[run] = model.module().stateDict().get("weight").toFloatArray();
        }
        assertArrayEquals(weights[0], weights[1]);
        assertTrue(!java.util.Arrays.equals(weights[0], weights[2]), "another shuffling seed, other weights");
    }

    @Test
    void misuseIsNamed() {
        Model bare = new Model(new Linear(2, 1, new Generator(0)));
        assertEquals("Model.fit: call compile(optimizer, loss, metrics...) first",
                assertThrows(IllegalStateException.class, () -> bare.fit(line(4), FitOptions.defaults())).getMessage());
        assertEquals("FitOptions: epochs must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().epochs(0)).getMessage());
        assertEquals("FitOptions: batch size must be at least 1, got -1",
                assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().batchSize(-1)).getMessage());
        assertEquals("FitOptions: validation split must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().validationSplit(1)).getMessage());
        assertEquals("FitOptions: give validation data or a validation split, not both", assertThrows(
                IllegalArgumentException.class, () -> FitOptions.defaults().validationData(line(2)).validationSplit(0.5)).getMessage());
    }
}
