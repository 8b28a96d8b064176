package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * {@code 0.5 d²} where {@code |d| < delta}, {@code delta (|d| - 0.5 delta)} elsewhere, for
 * {@code d = input - target} (PyTorch's default delta 1). Computed without a branch as
 * {@code 0.5 m² + delta (|d| - m)} with {@code m = min(|d|, delta)}.
 *
 * <pre>{@code
 * Tensor loss = new HuberLoss(Reduction.MEAN, 0.5).forward(prediction, target);
 * }</pre>
 */
public final class HuberLoss extends Loss {

    private final double delta;

    public HuberLoss() {
        this(Reduction.MEAN, 1);
    }

    public HuberLoss(Reduction reduction, double delta) {
        super(reduction);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("HuberLoss: delta must be positive, got " + delta);
        }
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        sameShape(input, target);
        return reduce(huber(input.sub(target), delta));
    }

    /** The elementwise Huber function of {@code d}; {@link SmoothL1Loss} is it divided by its beta. */
    static Tensor huber(Tensor d, double delta) {
        Tensor a = d.abs();
        Tensor m = a.minimum(delta);
        return m.mul(m).mul(0.5).add(a.sub(m).mul(delta));
    }

    @Override
    public String toString() {
        return "HuberLoss(reduction=" + reduction.name().toLowerCase() + ", delta=" + delta + ")";
    }
}
