package dev.vectorgrad.engine;

/**
 * The settings of 2-D max or average pooling, as PyTorch's max_pool2d and avg_pool2d arguments: the
 * kernel, stride (the kernel by default), padding and dilation for the height and the width axis, and
 * whether the output size rounds up ({@code ceilMode}). Padding is at most half the kernel, as PyTorch
 * requires; average pooling has no dilation.
 *
 * <pre>{@code
 * PoolParams p = PoolParams.of(3, 2, 1);              // 3x3 windows, stride 2, padding 1
 * NDArray y = x.maxPool2d(p);
 * }</pre>
 */
public record PoolParams(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                         int dilationH, int dilationW, boolean ceilMode) {

    public PoolParams {
        check("kernel", kernelH, kernelW, 1);
        check("stride", strideH, strideW, 1);
        check("padding", padH, padW, 0);
        check("dilation", dilationH, dilationW, 1);
        if (2 * padH > kernelH || 2 * padW > kernelW) {
            throw new IllegalArgumentException("PoolParams: padding [" + padH + ", " + padW
                    + "] must be at most half the kernel [" + kernelH + ", " + kernelW + "]");
        }
    }

    private static void check(String name, int h, int w, int min) {
        if (h < min || w < min) {
            throw new IllegalArgumentException("PoolParams: " + name + " must be at least " + min + ", got ["
                    + h + ", " + w + "]");
        }
    }

    /** Square windows of {@code kernel}, stride {@code kernel}, no padding: {@code PoolParams.of(2)} halves H and W. */
    public static PoolParams of(int kernel) {
        return of(kernel, kernel, 0);
    }

    /** Square windows with the same stride and padding on both axes. */
    public static PoolParams of(int kernel, int stride, int padding) {
        return new PoolParams(kernel, kernel, stride, stride, padding, padding, 1, 1, false);
    }

    /**
     * PyTorch's tuple form: each setting is {@code {both}} or {@code {height, width}}; an empty stride
     * means the kernel.
     *
     * <pre>{@code
     * PoolParams p = PoolParams.of(new int[] {2, 3}, new int[0], new int[] {1}, new int[] {1}, true);
     * }</pre>
     */
    public static PoolParams of(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String r = "PoolParams";
        int kh = ConvParams.pair(r, "kernel", kernel, 0), kw = ConvParams.pair(r, "kernel", kernel, 1);
        boolean byKernel = stride.length == 0;
        return new PoolParams(kh, kw, byKernel ? kh : ConvParams.pair(r, "stride", stride, 0),
                byKernel ? kw : ConvParams.pair(r, "stride", stride, 1), ConvParams.pair(r, "padding", padding, 0),
                ConvParams.pair(r, "padding", padding, 1), ConvParams.pair(r, "dilation", dilation, 0),
                ConvParams.pair(r, "dilation", dilation, 1), ceilMode);
    }
}
