package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * The Kullback-Leibler divergence of a target from a prediction given as log-probabilities, as PyTorch's:
 * {@code t (log t - input)} per element, 0 where {@code t = 0}; with {@code logTarget} the target is
 * log-probabilities too, {@code exp(t) (t - input)}. {@link Reduction#BATCHMEAN} (the sum over the
 * size of the first axis) is the divergence per sample; MEAN (PyTorch's default) also divides by the
 * number of classes.
 *
 * <pre>{@code
 * Tensor kl = new KLDivLoss(Reduction.BATCHMEAN, false).forward(student.logSoftmax(1), teacherProbs);
 * }</pre>
 */
public final class KLDivLoss extends Loss {

    private final boolean logTarget;

    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction, true);
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        sameShape(input, target);
        if (logTarget) {
            return reduce(target.exp().mul(target.sub(input)));
        }
        Tensor zero = target.eq(Tensor.scalar(0, target.dtype()));
        Tensor logT = Tensor.where(zero, Tensor.scalar(1, target.dtype()), target).log();
        return reduce(target.mul(logT.sub(input)));
    }

    @Override
    public String toString() {
        return "KLDivLoss(reduction=" + reduction.name().toLowerCase() + ", logTarget=" + logTarget + ")";
    }
}
