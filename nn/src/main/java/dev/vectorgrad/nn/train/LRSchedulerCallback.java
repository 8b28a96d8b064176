package dev.vectorgrad.nn.train;

import dev.vectorgrad.nn.optim.LRScheduler;
import java.util.Map;

/**
 * Steps an {@link LRScheduler} from {@link Model#fit} where PyTorch's loop would: once after each epoch
 * ({@link #perEpoch}), once after each epoch with a monitored log value ({@link #onMetric}, for
 * ReduceLROnPlateau), or once after each batch ({@link #perBatch}, for OneCycleLR built with
 * {@code totalSteps = epochs * batches}).
 *
 * <pre>{@code
 * Optimizer opt = new SGD(net.parameters(), 0.1);
 * model.fit(train, FitOptions.defaults().callbacks(LRSchedulerCallback.perEpoch(new StepLR(opt, 10))));
 * }</pre>
 */
public final class LRSchedulerCallback implements Callback {

    private final LRScheduler scheduler;
    private final String monitor;
    private final boolean perBatch;

    private LRSchedulerCallback(LRScheduler scheduler, String monitor, boolean perBatch) {
        this.scheduler = scheduler;
        this.monitor = monitor;
        this.perBatch = perBatch;
    }

    /** {@code scheduler.step()} after every epoch. */
    public static LRSchedulerCallback perEpoch(LRScheduler scheduler) {
        return new LRSchedulerCallback(scheduler, null, false);
    }

    /** {@code scheduler.step(logs[monitor])} after every epoch, e.g. {@code onMetric(plateau, "val_loss")}. */
    public static LRSchedulerCallback onMetric(LRScheduler scheduler, String monitor) {
        return new LRSchedulerCallback(scheduler, monitor, false);
    }

    /** {@code scheduler.step()} after every training batch. */
    public static LRSchedulerCallback perBatch(LRScheduler scheduler) {
        return new LRSchedulerCallback(scheduler, null, true);
    }

    @Override
    public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
        if (perBatch) {
            scheduler.step();
        }
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        if (perBatch) {
            return;
        }
        if (monitor == null) {
            scheduler.step();
        } else {
            scheduler.step(new Monitor(monitor, MonitorMode.AUTO).value(logs, "LRSchedulerCallback"));
        }
    }
}
