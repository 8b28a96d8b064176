package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * A loss function: {@code forward(input, target)} composed of autodiff ops, so that its gradient is
 * derived.
 *
 * <pre>{@code
 * Loss loss = new MSELoss();
 * Tensor l = loss.forward(prediction, target);   // a scalar under the default MEAN reduction
 * }</pre>
 */
public abstract class Loss {

    protected final Reduction reduction;

    protected Loss(Reduction reduction) {
        this(reduction, false);
    }

    /** For a loss that accepts {@link Reduction#BATCHMEAN} (KLDivLoss). */
    Loss(Reduction reduction, boolean batchMean) {
        if (reduction == Reduction.BATCHMEAN && !batchMean) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction BATCHMEAN is only for KLDivLoss");
        }
        this.reduction = reduction;
    }

    public abstract Tensor forward(Tensor input, Tensor target);

    /** The per-element (or per-row) losses combined as {@link #reduction} says. */
    protected final Tensor reduce(Tensor losses) {
        return reduction.apply(losses);
    }

    /** Requires {@code weight} (may be null) to broadcast to {@code shape} without growing it. */
    protected final void broadcastsTo(String what, NDArray weight, int[] shape) {
        if (weight == null) {
            return;
        }
        int[] w = weight.shape();
        boolean fits = w.length <= shape.length;
        for (int d = 1; fits && d <= w.length; d++) {
            fits = w[w.length - d] == 1 || w[w.length - d] == shape[shape.length - d];
        }
        if (!fits) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + what + " of shape "
                    + Shape.format(weight.shape()) + " does not broadcast to the input's shape " + Shape.format(shape));
        }
    }

    /** Requires equal shapes, as PyTorch's pointwise losses do (they warn on broadcasting; we refuse). */
    protected final void sameShape(Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input of shape "
                    + Shape.format(input.shape()) + " and target of shape " + Shape.format(target.shape()) + " differ");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(reduction=" + reduction.name().toLowerCase() + ")";
    }
}
