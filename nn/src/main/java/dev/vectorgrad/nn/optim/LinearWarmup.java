package dev.vectorgrad.nn.optim;

/**
 * A linear warm-up: {@link LinearLR}'s warm-up form ({@code endFactor} 1), under the name the issue
 * uses. The rate is scaled by a factor rising linearly from {@code startFactor} to 1 over
 * {@code warmupSteps} steps, then left alone: {@code initialLr * (startFactor + (1 - startFactor) *
 * min(step, warmupSteps) / warmupSteps)}. Without a start factor it is {@code 1 / (warmupSteps + 1)}, so
 * that the rate climbs in equal steps, {@code initialLr * (step + 1) / (warmupSteps + 1)}, to the whole
 * rate at step {@code warmupSteps}. Step it per batch or per epoch, as the warm-up is counted.
 *
 * <pre>{@code
 * LRScheduler warmup = new LinearWarmup(optimizer, 100);   // lr/101, 2 lr/101, ..., lr from step 100 on
 * warmup.step();                                            // after each optimizer step
 * }</pre>
 */
public final class LinearWarmup extends LinearLR {

    /** From {@code 1 / (warmupSteps + 1)} of the rate up to all of it in {@code warmupSteps} steps. */
    public LinearWarmup(Optimizer optimizer, int warmupSteps) {
        this(optimizer, 1.0 / (Math.max(warmupSteps, 0) + 1), warmupSteps);
    }

    /** From {@code startFactor} of the rate (in (0, 1]) up to all of it in {@code warmupSteps} steps. */
    public LinearWarmup(Optimizer optimizer, double startFactor, int warmupSteps) {
        if (!(startFactor > 0 && startFactor <= 1) || warmupSteps < 1) {
            throw new IllegalArgumentException("LinearWarmup: needs startFactor in (0, 1] and warmupSteps >= 1, got "
                    + startFactor + ", " + warmupSteps);
        }
        super(optimizer, startFactor, 1, warmupSteps);
    }
}
