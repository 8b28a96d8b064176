package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * Layer normalisation over the last axes, as PyTorch's: each sample's trailing {@code normalizedShape}
 * elements are normalised by their own mean and biased variance,
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, with {@code weight} (ones) and {@code bias}
 * (zeros) of {@code normalizedShape} when {@code elementwiseAffine}. Train and eval modes agree.
 *
 * <pre>{@code
 * LayerNorm ln = new LayerNorm(512);
 * Tensor y = ln.forward(x);                 // x [batch, tokens, 512]
 * }</pre>
 */
public final class LayerNorm extends Module {

    private final int[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d <= 0) || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: needs a non-empty normalizedShape of positive sizes and eps > 0, got "
                    + Shape.format(normalizedShape) + " and " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        if (elementwiseAffine) {
            registerParameter("weight", NDArray.ones(DType.FLOAT32, normalizedShape));
            registerParameter("bias", NDArray.zeros(DType.FLOAT32, normalizedShape));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        int lead = x.dim() - normalizedShape.length;
        if (lead < 0 || !Arrays.equals(Arrays.copyOfRange(x.shape(), lead, x.dim()), normalizedShape)) {
            throw inputError("input of shape " + Shape.format(x.shape()) + " does not end in " + Shape.format(normalizedShape));
        }
        int[] axes = new int[normalizedShape.length];
        Arrays.setAll(axes, i -> lead + i);
        Tensor centered = x.sub(x.mean(axes, true));
        Tensor y = centered.mul(x.var(axes, true, 0).add(eps).rsqrt());
        return elementwiseAffine ? y.mul(parameter("weight")).add(parameter("bias")) : y;
    }

    @Override
    protected String describe() {
        return "LayerNorm(" + Shape.format(normalizedShape) + ", eps=" + eps + ", elementwiseAffine=" + elementwiseAffine + ")";
    }
}
