package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Fused;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;

/**
 * {@code y = x W^T + b}, with PyTorch's shapes ({@code weight [out, in]}, {@code bias [out]}) and
 * initialisation (uniform in {@code ±1/sqrt(in)} for both), drawn from the given generator.
 *
 * <pre>{@code
 * Linear fc = new Linear(784, 256, new Generator(0));
 * Tensor y = fc.forward(x);                 // x [batch, 784] -> y [batch, 256]
 * }</pre>
 */
public final class Linear extends Module {

    private final int in;
    private final int out;
    private final boolean hasBias;

    public Linear(int in, int out, Generator g) {
        this(in, out, true, g);
    }

    public Linear(int in, int out, boolean bias, Generator g) {
        this.in = in;
        this.out = out;
        this.hasBias = bias;
        double bound = 1 / Math.sqrt(in);
        registerParameter("weight", NDArray.uniform(g, DType.FLOAT32, -bound, bound, out, in));
        if (bias) {
            registerParameter("bias", NDArray.uniform(g, DType.FLOAT32, -bound, bound, out));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != in) {
            throw inputError("input of shape " + Shape.format(x.shape()) + " does not end in " + in + " features");
        }
        return linear(x, weight(), bias());
    }

    /** {@code x W^T + b} for a weight {@code [out, in]} and a bias {@code [out]} or null, PyTorch's {@code F.linear}. */
    static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.dim() == 2) {
            return Fused.linear(x, weight, bias);
        }
        int[] shape = x.shape();
        int rows = x.numel() / shape[shape.length - 1];
        shape[shape.length - 1] = weight.size(0);
        return Fused.linear(x.reshape(rows, x.size(-1)), weight, bias).reshape(shape);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return hasBias ? parameter("bias") : null;
    }

    @Override
    protected String describe() {
        return "Linear(in=" + in + ", out=" + out + (hasBias ? "" : ", bias=false") + ")";
    }
}
