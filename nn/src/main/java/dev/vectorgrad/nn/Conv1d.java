package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.ConvParams;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;

/**
 * A 1-D convolution layer over {@code [N, in, L]} inputs, with PyTorch's parameter shapes
 * ({@code weight [out, in/groups, k]}, {@code bias [out]}) and initialisation (uniform in
 * {@code ±1/sqrt(in/groups * k)} for both, weight first), as {@link Conv2d}.
 *
 * <pre>{@code
 * Conv1d conv = new Conv1d(8, 16, 5, 1, 2, new Generator(0));   // kernel 5, padding 2: keeps the length
 * Tensor y = conv.forward(x);                                 // [4, 8, 100] -> [4, 16, 100]
 * }</pre>
 */
public final class Conv1d extends Module {

    private final int in;
    private final int out;
    private final int kernel;
    private final ConvParams params;
    private final boolean hasBias;

    /** Stride 1, no padding, with a bias, FLOAT32. */
    public Conv1d(int in, int out, int kernel, Generator g) {
        this(in, out, kernel, 1, 0, g);
    }

    public Conv1d(int in, int out, int kernel, int stride, int padding, Generator g) {
        this(in, out, kernel, stride, padding, 1, 1, true, DType.FLOAT32, g);
    }

    /** Every option, parameters in {@code dtype}. */
    public Conv1d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias, DType dtype,
                  Generator g) {
        if (kernel < 1 || in < 1 || out < 1) {
            throw new IllegalArgumentException("Conv1d: needs positive channels and kernel, got in " + in + ", out " + out
                    + ", kernel " + kernel);
        }
        this.params = ConvParams.of1d(stride, padding, dilation, groups);
        Conv2d.checkGroups("Conv1d", in, out, groups);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        double bound = 1 / Math.sqrt((double) in / groups * kernel);
        registerParameter("weight", NDArray.uniform(g, dtype, -bound, bound, out, in / groups, kernel));
        this.hasBias = bias;
        if (bias) {
            registerParameter("bias", NDArray.uniform(g, dtype, -bound, bound, out));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3 || x.size(1) != in) {
            throw inputError("input of shape " + Shape.format(x.shape()) + " is not [batch, " + in + ", length]");
        }
        Tensor y = x.conv1d(weight(), params.strideW(), params.padW(), params.dilationW(), params.groups());
        return hasBias ? y.add(bias().reshape(out, 1)) : y;
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
        StringBuilder b = new StringBuilder("Conv1d(in=" + in + ", out=" + out + ", kernel=" + kernel + ", stride="
                + params.strideW());
        if (params.padW() != 0) {
            b.append(", padding=").append(params.padW());
        }
        if (params.dilationW() != 1) {
            b.append(", dilation=").append(params.dilationW());
        }
        if (params.groups() != 1) {
            b.append(", groups=").append(params.groups());
        }
        return b.append(hasBias ? "" : ", bias=false").append(')').toString();
    }
}
