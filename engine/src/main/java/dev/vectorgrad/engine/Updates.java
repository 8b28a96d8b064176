package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.DoubleUpdateKernels;
import dev.vectorgrad.engine.kernels.FloatUpdateKernels;
import dev.vectorgrad.engine.kernels.UpdateKernels;
import java.util.Arrays;

/**
 * In-place updates for optimizers and gradient clipping, each one pass of a fused kernel
 * ({@link UpdateKernels}) over the parameter, its gradient and the optimizer's state arrays. The formulas
 * are PyTorch's single-tensor optimizers'; the optimizer combines the hyper-parameters (step size, bias
 * corrections) before the call.
 *
 * <pre>{@code
 * Updates.adam(p, g, m, v, null, 1, 1, 0, 0.9, 0.999, lr / (1 - Math.pow(0.9, t)), Math.sqrt(1 - Math.pow(0.999, t)), 1e-8);
 * double norm = Updates.norm(g, 2);
 * }</pre>
 *
 * <p>State arrays must be contiguous with the parameter's shape and dtype (the optimizer creates them so);
 * the gradient may have any layout and dtype of the parameter's shape. With a contiguous parameter and
 * gradient an update allocates nothing; otherwise it works on contiguous copies and writes the parameter
 * back. {@code gradSign} is -1 to maximise, as PyTorch's {@code maximize}.
 */
public final class Updates {

    private Updates() {
    }

    /**
     * SGD: {@code d = gradSign * grad + weightDecay * param}; with a {@code buffer} (momentum),
     * {@code buffer = d} on the {@code firstStep} and {@code momentum * buffer + (1 - dampening) * d} after,
     * then {@code d = d + momentum * buffer} (Nesterov) or {@code buffer}; finally {@code param -= lr * d}.
     */
    public static void sgd(NDArray param, NDArray grad, NDArray buffer, boolean firstStep, double gradSign,
                           double weightDecay, double momentum, double dampening, boolean nesterov, double lr) {
        String op = "sgd";
        NDArray g = gradient(op, param, grad);
        checkState(op, "buffer", param, buffer, false);
        NDArray p = work(param);
        UpdateKernels k = kernels(param.dtype);
        if (buffer == null) {
            k.sgd(p.data(), p.offset, g.data(), g.offset, p.numel(), gradSign, weightDecay, lr);
        } else {
            k.sgdMomentum(p.data(), p.offset, g.data(), g.offset, buffer.data(), buffer.offset, p.numel(), gradSign,
                    weightDecay, firstStep ? 0 : momentum, firstStep ? 1 : 1 - dampening, momentum, nesterov, lr);
            buffer.storage.bumpVersion();
        }
        writeBack(param, p);
    }

    /**
     * Adam and AdamW: {@code param *= paramScale} ({@code 1 - lr * decay} for AdamW's decoupled decay),
     * {@code d = gradSign * grad + weightDecay * param}, the moments {@code expAvg} and {@code expAvgSq},
     * {@code maxExpAvgSq} (AMSGrad, or null), then
     * {@code param -= stepSize * expAvg / (sqrt(expAvgSq) / biasCorrection2Sqrt + eps)}.
     */
    public static void adam(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq,
                            double gradSign, double paramScale, double weightDecay, double beta1, double beta2,
                            double stepSize, double biasCorrection2Sqrt, double eps) {
        String op = "adam";
        NDArray g = gradient(op, param, grad);
        checkState(op, "expAvg", param, expAvg, true);
        checkState(op, "expAvgSq", param, expAvgSq, true);
        checkState(op, "maxExpAvgSq", param, maxExpAvgSq, false);
        NDArray p = work(param);
        kernels(param.dtype).adam(p.data(), p.offset, g.data(), g.offset, expAvg.data(), expAvg.offset,
                expAvgSq.data(), expAvgSq.offset, data(maxExpAvgSq), offset(maxExpAvgSq), p.numel(), gradSign,
                paramScale, weightDecay, beta1, beta2, stepSize, biasCorrection2Sqrt, eps);
        bump(expAvg);
        bump(expAvgSq);
        bump(maxExpAvgSq);
        writeBack(param, p);
    }

    /**
     * RMSprop: {@code squareAvg} with smoothing {@code alpha}, centered by {@code gradAvg} when it is not
     * null, and a {@code momentumBuffer} when it is not null; {@code param -= lr * d / (sqrt(...) + eps)}
     * or {@code param -= lr * momentumBuffer}.
     */
    public static void rmsprop(NDArray param, NDArray grad, NDArray squareAvg, NDArray gradAvg, NDArray momentumBuffer,
                               double gradSign, double weightDecay, double alpha, double eps, double momentum, double lr) {
        String op = "rmsprop";
        NDArray g = gradient(op, param, grad);
        checkState(op, "squareAvg", param, squareAvg, true);
        checkState(op, "gradAvg", param, gradAvg, false);
        checkState(op, "momentumBuffer", param, momentumBuffer, false);
        NDArray p = work(param);
        kernels(param.dtype).rmsprop(p.data(), p.offset, g.data(), g.offset, squareAvg.data(), squareAvg.offset,
                data(gradAvg), offset(gradAvg), data(momentumBuffer), offset(momentumBuffer), p.numel(), gradSign,
                weightDecay, alpha, eps, momentum, lr);
        bump(squareAvg);
        bump(gradAvg);
        bump(momentumBuffer);
        writeBack(param, p);
    }

    /** Adagrad: {@code sum += d²}, {@code param -= clr * d / (sqrt(sum) + eps)}. */
    public static void adagrad(NDArray param, NDArray grad, NDArray sum, double gradSign, double weightDecay,
                               double clr, double eps) {
        String op = "adagrad";
        NDArray g = gradient(op, param, grad);
        checkState(op, "sum", param, sum, true);
        NDArray p = work(param);
        kernels(param.dtype).adagrad(p.data(), p.offset, g.data(), g.offset, sum.data(), sum.offset, p.numel(),
                gradSign, weightDecay, clr, eps);
        bump(sum);
        writeBack(param, p);
    }

    /**
     * The {@code p}-norm of all elements, {@code (sum |x|^p)^(1/p)}, or {@code max |x|} for
     * {@code p = Double.POSITIVE_INFINITY}: as {@code torch.linalg.vector_norm(x, p)} for {@code p > 0}.
     */
    public static double norm(NDArray x, double p) {
        if (!(p > 0)) {
            throw new IllegalArgumentException("norm: the order must be positive or infinite, got " + p);
        }
        NDArray c = x.contiguous();
        return kernels(c.dtype).norm(c.data(), c.offset, c.numel(), p);
    }

    /** {@code x *= s} in place. */
    public static void scaleInPlace(NDArray x, double s) {
        if (!x.isContiguous()) {
            x.mulInPlace(s);
            return;
        }
        kernels(x.dtype).scale(x.data(), x.offset, x.numel(), s);
        x.storage.bumpVersion();
    }

    /** Each element of {@code x} limited to {@code [min, max]} in place; NaN stays NaN, as torch.clamp_. */
    public static void clampInPlace(NDArray x, double min, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clampInPlace: min " + min + " is not at most max " + max);
        }
        if (!x.isContiguous()) {
            x.copyFrom(x.clamp(min, max));
            return;
        }
        kernels(x.dtype).clamp(x.data(), x.offset, x.numel(), min, max);
        x.storage.bumpVersion();
    }

    private static UpdateKernels kernels(DType dtype) {
        return dtype == DType.FLOAT32 ? FloatUpdateKernels.INSTANCE : DoubleUpdateKernels.INSTANCE;
    }

    /** The gradient as a contiguous array of the parameter's dtype: itself in the usual case. */
    private static NDArray gradient(String op, NDArray param, NDArray grad) {
        if (!Arrays.equals(param.shape, grad.shape)) {
            throw new IllegalArgumentException(op + ": gradient of shape " + Shape.format(grad.shape)
                    + " does not fit the parameter of shape " + Shape.format(param.shape));
        }
        return grad.to(param.dtype).contiguous();
    }

    private static void checkState(String op, String name, NDArray param, NDArray state, boolean required) {
        if (state == null && required) {
            throw new IllegalArgumentException(op + ": the state " + name + " is required");
        }
        if (state != null && (!Arrays.equals(param.shape, state.shape) || state.dtype != param.dtype
                || !state.isContiguous())) {
            throw new IllegalArgumentException(op + ": state " + name + " " + Shape.format(state.shape) + " " + state.dtype
                    + (state.isContiguous() ? "" : " (not contiguous)") + " does not fit the parameter "
                    + Shape.format(param.shape) + " " + param.dtype + "; state arrays are contiguous, with the"
                    + " parameter's shape and dtype");
        }
    }

    /** The array the kernel updates: the parameter itself when contiguous, else a contiguous copy. */
    private static NDArray work(NDArray param) {
        return param.isContiguous() ? param : param.copy();
    }

    private static void writeBack(NDArray param, NDArray work) {
        if (work == param) {
            param.storage.bumpVersion();
        } else {
            param.copyFrom(work);
        }
    }

    private static Object data(NDArray optional) {
        return optional == null ? null : optional.data();
    }

    private static int offset(NDArray optional) {
        return optional == null ? 0 : optional.offset;
    }

    private static void bump(NDArray optional) {
        if (optional != null) {
            optional.storage.bumpVersion();
        }
    }
}
