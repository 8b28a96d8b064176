package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * Batch normalisation over axis 1 (the channels), as PyTorch's {@code _BatchNorm}:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}. In training the mean and the biased variance
 * are the batch's, over every axis but 1, and the running statistics move towards them (the variance
 * unbiased, {@code n / (n - 1)}): {@code running = (1 - momentum) running + momentum batch}, or the
 * cumulative average when momentum is null. In eval mode the running statistics are used, unless
 * {@code trackRunningStats} is off (then there are none, and batch statistics are always used).
 *
 * <p>Parameters and buffers have PyTorch's names: {@code weight}, {@code bias} (ones and zeros, when
 * affine), {@code running_mean}, {@code running_var}, {@code num_batches_tracked} (when tracking).
 */
public abstract class BatchNorm extends Module {

    private final int[] ranks;
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    BatchNorm(int[] ranks, int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0 || !(eps > 0) || (momentum != null && !(momentum >= 0 && momentum <= 1))) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": needs numFeatures > 0, eps > 0 and "
                    + "momentum in [0, 1] or null, got " + numFeatures + ", " + eps + ", " + momentum);
        }
        this.ranks = ranks;
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        if (affine) {
            registerParameter("weight", NDArray.ones(DType.FLOAT32, numFeatures));
            registerParameter("bias", NDArray.zeros(DType.FLOAT32, numFeatures));
        }
        if (trackRunningStats) {
            registerBuffer("running_mean", NDArray.zeros(DType.FLOAT32, numFeatures));
            registerBuffer("running_var", NDArray.ones(DType.FLOAT32, numFeatures));
            registerCountBuffer("num_batches_tracked");
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (Arrays.stream(ranks).noneMatch(r -> r == x.dim())) {
            throw inputError("expected an input of rank " + ranksText() + ", got shape " + Shape.format(x.shape()));
        }
        if (x.size(1) != numFeatures) {
            throw inputError("input of shape " + Shape.format(x.shape()) + " has " + x.size(1)
                    + " channels (axis 1), expected " + numFeatures);
        }
        int[] axes = new int[x.dim() - 1];
        int[] statShape = new int[x.dim()];
        Arrays.fill(statShape, 1);
        statShape[1] = numFeatures;
        for (int d = 0, k = 0; d < x.dim(); d++) {
            if (d != 1) {
                axes[k++] = d;
            }
        }
        Tensor mean;
        Tensor var;
        if (isTraining() || !trackRunningStats) {
            int n = x.numel() / numFeatures;
            if (n <= 1) {
                throw inputError("expected more than 1 value per channel when using batch statistics, got input of shape "
                        + Shape.format(x.shape()));
            }
            mean = x.mean(axes, true);
            var = x.var(axes, true, 0);
            if (isTraining() && trackRunningStats) {
                track(mean.value().reshape(numFeatures), var.value().reshape(numFeatures).mul(n / (n - 1.0)));
            }
        } else {
            mean = buffer("running_mean").reshape(statShape);
            var = buffer("running_var").reshape(statShape);
        }
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        return affine ? y.mul(parameter("weight").reshape(statShape)).add(parameter("bias").reshape(statShape)) : y;
    }

    private void track(NDArray batchMean, NDArray unbiasedVar) {
        NDArray count = buffer("num_batches_tracked").value().addInPlace(1);
        double factor = momentum == null ? 1 / count.item() : momentum;
        buffer("running_mean").value().mulInPlace(1 - factor).addInPlace(batchMean, factor);
        buffer("running_var").value().mulInPlace(1 - factor).addInPlace(unbiasedVar, factor);
    }

    private String ranksText() {
        return String.join(" or ", Arrays.stream(ranks).mapToObj(Integer::toString).toList());
    }

    public Tensor weight() {
        return affine ? parameter("weight") : null;
    }

    public Tensor bias() {
        return affine ? parameter("bias") : null;
    }

    /** The running mean, or null when statistics are not tracked. */
    public NDArray runningMean() {
        return trackRunningStats ? buffer("running_mean").value() : null;
    }

    public NDArray runningVar() {
        return trackRunningStats ? buffer("running_var").value() : null;
    }

    @Override
    protected String describe() {
        return getClass().getSimpleName() + "(" + numFeatures + ", eps=" + eps + ", momentum=" + momentum
                + ", affine=" + affine + ", trackRunningStats=" + trackRunningStats + ")";
    }
}
