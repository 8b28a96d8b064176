package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.ConvParams;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;

/**
 * A 2-D convolution layer over {@code [N, in, H, W]} inputs, with PyTorch's parameter shapes
 * ({@code weight [out, in/groups, kh, kw]}, {@code bias [out]}) and initialisation: kaiming_uniform with
 * {@code a = sqrt(5)} for the weight and uniform in {@code ±1/sqrt(fan_in)} for the bias, which both come
 * to {@code ±1/sqrt(in/groups * kh * kw)}, drawn (weight first) from the given generator.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(3, 16, 3, 1, 1, new Generator(0));   // 3x3, stride 1, padding 1
 * Tensor y = conv.forward(x);                                 // [32, 3, 32, 32] -> [32, 16, 32, 32]
 * }</pre>
 */
public final class Conv2d extends Module {

    private final int in;
    private final int out;
    private final int[] kernel;
    private final ConvParams params;
    private final boolean hasBias;

    /** Stride 1, no padding, with a bias, FLOAT32. */
    public Conv2d(int in, int out, int kernel, Generator g) {
        this(in, out, kernel, 1, 0, g);
    }

    /** Square kernel, the same stride and padding on both axes, with a bias, FLOAT32. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, Generator g) {
        this(in, out, new int[] {kernel, kernel}, ConvParams.of(stride, padding), true, DType.FLOAT32, g);
    }

    /**
     * Every option: kernel {@code {kh, kw}}, stride, padding, dilation and groups in {@code params}, with
     * or without a bias, parameters in {@code dtype}.
     */
    public Conv2d(int in, int out, int[] kernel, ConvParams params, boolean bias, DType dtype, Generator g) {
        if (kernel.length != 2 || kernel[0] < 1 || kernel[1] < 1 || in < 1 || out < 1) {
            throw new IllegalArgumentException("Conv2d: needs positive channels and a kernel {height, width}, got in " + in
                    + ", out " + out + ", kernel " + Shape.format(kernel));
        }
        checkGroups("Conv2d", in, out, params.groups());
        this.in = in;
        this.out = out;
        this.kernel = kernel.clone();
        this.params = params;
        double bound = 1 / Math.sqrt((double) in / params.groups() * kernel[0] * kernel[1]);
        registerParameter("weight",
                NDArray.uniform(g, dtype, -bound, bound, out, in / params.groups(), kernel[0], kernel[1]));
        this.hasBias = bias;
        if (bias) {
            registerParameter("bias", NDArray.uniform(g, dtype, -bound, bound, out));
        }
    }

    static void checkGroups(String layer, int in, int out, int groups) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(layer + ": in channels " + in + " and out channels " + out
                    + " must both be divisible by groups " + groups);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != in) {
            throw inputError("input of shape " + Shape.format(x.shape()) + " is not [batch, " + in + ", height, width]");
        }
        Tensor y = x.conv2d(weight(), params);
        return hasBias ? y.add(bias().reshape(out, 1, 1)) : y;
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
        return "Conv2d(in=" + in + ", out=" + out + ", kernel=" + Shape.format(kernel) + options(params, hasBias) + ")";
    }

    /** The settings PyTorch's repr shows: stride always, the others when not at their defaults. */
    static String options(ConvParams p, boolean bias) {
        StringBuilder b = new StringBuilder(", stride=[" + p.strideH() + ", " + p.strideW() + "]");
        if (p.padH() != 0 || p.padW() != 0) {
            b.append(", padding=[").append(p.padH()).append(", ").append(p.padW()).append(']');
        }
        if (p.dilationH() != 1 || p.dilationW() != 1) {
            b.append(", dilation=[").append(p.dilationH()).append(", ").append(p.dilationW()).append(']');
        }
        if (p.groups() != 1) {
            b.append(", groups=").append(p.groups());
        }
        return b.append(bias ? "" : ", bias=false").toString();
    }
}
