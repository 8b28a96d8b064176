package dev.vectorgrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.nn.optim.OneCycleLR;
import dev.vectorgrad.nn.optim.ReduceLROnPlateau;
import dev.vectorgrad.nn.optim.StepLR;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler callback steps where PyTorch's loop would: per epoch, per epoch on a metric, per batch. */
class LRSchedulerCallbackTest {

    @Test
    void perEpochStepsOnceAfterEachEpoch() {
        Model model = ModelTest.linearModel(0.1);
        StepLR halving = new StepLR(model.optimizer(), 1, 0.5);
        model.fit(ModelTest.line(40), FitOptions.defaults().epochs(3).batchSize(8)
                .callbacks(LRSchedulerCallback.perEpoch(halving)));
        assertEquals(3, halving.lastEpoch());
        assertEquals(0.1 * 0.125, model.optimizer().paramGroups().get(0).get("lr"), 1e-15);
    }

    @Test
    void perBatchStepsAfterEveryTrainingBatch() {
        Model model = ModelTest.linearModel(0.1);
        // 40 samples in batches of 8: five batches an epoch, two epochs.
        OneCycleLR cycle = new OneCycleLR(model.optimizer(), 0.5, 10);
        model.fit(ModelTest.line(40), FitOptions.defaults().epochs(2).batchSize(8)
                .callbacks(LRSchedulerCallback.perBatch(cycle)));
        assertEquals(10, cycle.lastEpoch());
    }

    @Test
    void onMetricPassesTheMonitoredValueAndNamesAMissingOne() {
        Model model = ModelTest.linearModel(0.1);
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(model.optimizer(), ReduceLROnPlateau.Mode.MIN, 0.5, 0, 0,
                ReduceLROnPlateau.ThresholdMode.ABS, 0, 0, 0);
        LRSchedulerCallback callback = LRSchedulerCallback.onMetric(plateau, "val_loss");
        callback.onEpochEnd(model, 1, Map.of("val_loss", 1.0));
        callback.onEpochEnd(model, 2, Map.of("val_loss", 2.0));   // worse, patience 0: halve
        assertEquals(0.05, model.optimizer().paramGroups().get(0).get("lr"), 1e-15);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> callback.onEpochEnd(model, 3, Map.of("loss", 1.0)));
        assertEquals("LRSchedulerCallback: the logs have no 'val_loss' to monitor; they have [loss] (no validation data"
                + " given to fit?)", e.getMessage());
    }
}
