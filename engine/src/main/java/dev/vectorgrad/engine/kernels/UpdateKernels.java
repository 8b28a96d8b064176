package dev.vectorgrad.engine.kernels;

/**
 * The fused optimizer updates of one element type: each reads a parameter run, its gradient run and the
 * optimizer's state runs once and writes the new values back in the same pass. Arrays are passed as
 * {@code Object}, as in {@link Kernels}. The arithmetic follows PyTorch's single-tensor optimizers op by
 * op (an {@code add_(x, alpha=a)} is a fused multiply-add, an {@code addcmul_}/{@code addcdiv_} is
 * {@code self + value * t1 * t2} or {@code self + value * t1 / t2}), with the hyper-parameters rounded to
 * the element type as PyTorch's scalars are.
 *
 * <p>In every update the gradient is first {@code d = gradSign * g + weightDecay * p} ({@code gradSign}
 * is -1 to maximise).
 */
public sealed interface UpdateKernels permits FloatUpdateKernels, DoubleUpdateKernels {

    /** SGD without momentum: {@code p -= lr * d}. */
    void sgd(Object p, int pi, Object g, int gi, int n, double gradSign, double weightDecay, double lr);

    /**
     * SGD with momentum: {@code buf = bufferDecay * buf + gradWeight * d}, then {@code p -= lr * (d + momentum * buf)}
     * with Nesterov or {@code p -= lr * buf} without. PyTorch's first step ({@code buf = d}) is
     * {@code bufferDecay = 0, gradWeight = 1} on a zero buffer.
     */
    void sgdMomentum(Object p, int pi, Object g, int gi, Object buf, int bi, int n, double gradSign, double weightDecay,
                     double bufferDecay, double gradWeight, double momentum, boolean nesterov, double lr);

    /**
     * Adam and AdamW: {@code p *= paramScale} (AdamW's decoupled decay), the moments {@code m} and {@code v}
     * updated with {@code beta1} and {@code beta2}, {@code vMax = max(vMax, v)} when {@code vMax} is not null
     * (AMSGrad), then {@code p -= stepSize * m / (sqrt(v or vMax) / biasCorrection2Sqrt + eps)}.
     */
    void adam(Object p, int pi, Object g, int gi, Object m, int mi, Object v, int vi, Object vMax, int xi, int n,
              double gradSign, double paramScale, double weightDecay, double beta1, double beta2, double stepSize,
              double biasCorrection2Sqrt, double eps);

    /**
     * RMSprop: {@code sq = alpha * sq + (1 - alpha) * d²}; centered when {@code gAvg} is not null
     * ({@code gAvg = alpha * gAvg + (1 - alpha) * d}, {@code avg = sqrt(sq - gAvg²) + eps}), else
     * {@code avg = sqrt(sq) + eps}; then {@code buf = momentum * buf + d / avg, p -= lr * buf} when
     * {@code buf} is not null, else {@code p -= lr * d / avg}.
     */
    void rmsprop(Object p, int pi, Object g, int gi, Object sq, int si, Object gAvg, int ai, Object buf, int bi, int n,
                 double gradSign, double weightDecay, double alpha, double eps, double momentum, double lr);

    /** Adagrad: {@code sum += d²}, {@code p -= clr * d / (sqrt(sum) + eps)}. */
    void adagrad(Object p, int pi, Object g, int gi, Object sum, int si, int n, double gradSign, double weightDecay,
                 double clr, double eps);

    /** {@code a[ai+k] *= s}. */
    void scale(Object a, int ai, int n, double s);

    /** {@code a[ai+k] = min(max(a[ai+k], lo), hi)}; NaN stays NaN. */
    void clamp(Object a, int ai, int n, double lo, double hi);

    /**
     * The {@code p}-norm of {@code a[ai .. ai+n)}: {@code (sum |a|^p)^(1/p)}, or {@code max |a|} for
     * {@code p = +Inf}; 0 when {@code n == 0}. Accumulates in the element type; NaN if any element is NaN.
     */
    double norm(Object a, int ai, int n, double p);
}
