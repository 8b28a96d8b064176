package dev.vectorgrad.engine;

/**
 * The settings of a convolution, as PyTorch's conv2d arguments: stride, padding and dilation for the
 * height and the width axis, and the number of groups. A 1-D convolution is a 2-D one over a plane of
 * height 1 ({@link #of1d}).
 *
 * <pre>{@code
 * ConvParams p = ConvParams.of(2, 1);                 // stride 2, padding 1 on both axes
 * NDArray y = x.conv2d(w, p);                         // x [N, C, H, W], w [O, C, 3, 3]
 * }</pre>
 */
public record ConvParams(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    /** Stride 1, no padding, no dilation, one group: PyTorch's defaults. */
    public static final ConvParams DEFAULT = new ConvParams(1, 1, 0, 0, 1, 1, 1);

    public ConvParams {
        check("stride", strideH, strideW, 1);
        check("padding", padH, padW, 0);
        check("dilation", dilationH, dilationW, 1);
        if (groups < 1) {
            throw new IllegalArgumentException("ConvParams: groups must be at least 1, got " + groups);
        }
    }

    private static void check(String name, int h, int w, int min) {
        if (h < min || w < min) {
            throw new IllegalArgumentException("ConvParams: " + name + " must be at least " + min + ", got ["
                    + h + ", " + w + "]");
        }
    }

    /** The same stride and padding on both axes: {@code ConvParams.of(1, 1)} keeps a 3x3 convolution's size. */
    public static ConvParams of(int stride, int padding) {
        return of(stride, padding, 1, 1);
    }

    /** The same stride, padding and dilation on both axes, and {@code groups} groups. */
    public static ConvParams of(int stride, int padding, int dilation, int groups) {
        return new ConvParams(stride, stride, padding, padding, dilation, dilation, groups);
    }

    /**
     * PyTorch's tuple form: each of stride, padding and dilation is {@code {both}} or {@code {height, width}}.
     *
     * <pre>{@code
     * ConvParams p = ConvParams.of(new int[] {1, 2}, new int[] {0, 1}, new int[] {1}, 1);
     * }</pre>
     */
    public static ConvParams of(int[] stride, int[] padding, int[] dilation, int groups) {
        String r = "ConvParams";
        return new ConvParams(pair(r, "stride", stride, 0), pair(r, "stride", stride, 1), pair(r, "padding", padding, 0),
                pair(r, "padding", padding, 1), pair(r, "dilation", dilation, 0), pair(r, "dilation", dilation, 1), groups);
    }

    /** A 1-D convolution's settings, as a 2-D convolution over a plane of height 1. */
    public static ConvParams of1d(int stride, int padding, int dilation, int groups) {
        return new ConvParams(1, stride, 0, padding, 1, dilation, groups);
    }

    /** Element {@code axis} of a one- or two-element setting of {@code owner}. */
    static int pair(String owner, String name, int[] values, int axis) {
        if (values.length != 1 && values.length != 2) {
            throw new IllegalArgumentException(owner + ": " + name + " needs one value or two (height, width), got "
                    + java.util.Arrays.toString(values));
        }
        return values[Math.min(axis, values.length - 1)];
    }
}
