package dev.vectorgrad.nn.optim;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.Updates;
import java.util.List;

/**
 * Gradient clipping in place, as PyTorch's {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}: call between {@code backward()} and {@code step()}. Parameters without a
 * gradient are skipped. Neither allocates per parameter when the gradients are contiguous.
 *
 * <pre>{@code
 * loss.backward();
 * double norm = ClipGrad.clipGradNorm(model.parameters(), 1.0, 2);   // the norm before clipping
 * }</pre>
 */
public final class ClipGrad {

    private ClipGrad() {
    }

    /** {@link #clipGradNorm(List, double, double, boolean)} that scales even by a non-finite norm, PyTorch's default. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients by {@code maxNorm / (total + 1e-6)} when that is below 1, where {@code total} is
     * the {@code normType}-norm of the norms of the gradients (the norm of all their elements as one
     * vector; {@code Double.POSITIVE_INFINITY} for the largest magnitude). Returns {@code total}, 0 when no
     * parameter has a gradient. With {@code errorIfNonfinite}, a NaN or infinite total throws
     * {@link IllegalStateException} before any gradient changes.
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(maxNorm >= 0) || !(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: needs maxNorm >= 0 and normType > 0 (or infinite), got"
                    + " maxNorm " + maxNorm + " and normType " + normType);
        }
        boolean max = normType == Double.POSITIVE_INFINITY;
        double total = 0;
        for (int i = 0; i < params.size(); i++) {
            Tensor grad = params.get(i).grad();
            if (grad != null) {
                double norm = Updates.norm(grad.value(), normType);
                total = max ? Math.max(total, norm) : total + Math.pow(norm, normType);
            }
        }
        total = max ? total : Math.pow(total, 1 / normType);
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " of the gradients is "
                    + total + ", so they cannot be clipped; pass errorIfNonfinite = false to scale them by it anyway");
        }
        double coefficient = maxNorm / (total + 1e-6);
        if (!(coefficient >= 1)) {
            for (int i = 0; i < params.size(); i++) {
                Tensor grad = params.get(i).grad();
                if (grad != null) {
                    Updates.scaleInPlace(grad.value(), coefficient);
                }
            }
        }
        return total;
    }

    /** Limits every gradient element to {@code [-clipValue, clipValue]}; NaN stays NaN. */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: needs clipValue >= 0, got " + clipValue);
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor grad = params.get(i).grad();
            if (grad != null) {
                Updates.clampInPlace(grad.value(), -clipValue, clipValue);
            }
        }
    }
}
