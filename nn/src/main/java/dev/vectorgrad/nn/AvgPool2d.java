package dev.vectorgrad.nn;

import dev.vectorgrad.engine.PoolParams;

/**
 * The mean of each window of each plane of {@code [N, C, H, W]}, as PyTorch's AvgPool2d: the stride
 * defaults to the kernel, and padding counts in the divisor unless {@code countIncludePad} is off.
 *
 * <pre>{@code
 * Module pool = new AvgPool2d(2);                                            // [N, C, 32, 32] -> [N, C, 16, 16]
 * Module same = new AvgPool2d(PoolParams.of(3, 1, 1), false);               // mean of the inputs only
 * }</pre>
 */
public final class AvgPool2d extends Activation {

    public AvgPool2d(int kernel) {
        this(PoolParams.of(kernel), true);
    }

    public AvgPool2d(PoolParams params, boolean countIncludePad) {
        super("AvgPool2d(" + describe(params) + (countIncludePad ? "" : ", countIncludePad=false") + ")",
                x -> x.avgPool2d(params, countIncludePad));
    }

    /** Kernel and stride always, the other settings when not at their defaults. */
    static String describe(PoolParams p) {
        StringBuilder b = new StringBuilder("kernel=[" + p.kernelH() + ", " + p.kernelW() + "], stride=[" + p.strideH()
                + ", " + p.strideW() + "]");
        if (p.padH() != 0 || p.padW() != 0) {
            b.append(", padding=[").append(p.padH()).append(", ").append(p.padW()).append(']');
        }
        if (p.dilationH() != 1 || p.dilationW() != 1) {
            b.append(", dilation=[").append(p.dilationH()).append(", ").append(p.dilationW()).append(']');
        }
        return b.append(p.ceilMode() ? ", ceilMode=true" : "").toString();
    }
}
