package dev.vectorgrad.engine.kernels;

/**
 * A window sliding over one {@code height x width} plane, as convolution and pooling kernels see it:
 * output position {@code (oh, ow)} with window tap {@code (ki, kj)} reads input row
 * {@code oh*strideH + ki*dilationH - padH} and column {@code ow*strideW + kj*dilationW - padW}; taps that
 * fall outside the plane read padding. The engine settles the sizes (and checks them) before a kernel
 * sees this record.
 *
 * <pre>{@code
 * Window2d w = new Window2d(32, 32, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1);   // 3x3, stride 1, padding 1
 * int first = w.firstCol(0);                                         // 1: column -1 is padding
 * }</pre>
 */
public record Window2d(int height, int width, int outHeight, int outWidth, int kernelH, int kernelW,
                       int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {

    /** The input row that output row {@code oh} reads at tap row {@code ki} (may lie outside the plane). */
    public int inputRow(int oh, int ki) {
        return oh * strideH + ki * dilationH - padH;
    }

    /** The input column that output column {@code ow} reads at tap column {@code kj} (may lie outside). */
    public int inputCol(int ow, int kj) {
        return ow * strideW + kj * dilationW - padW;
    }

    /** The first output row whose tap row {@code ki} lies inside the plane. */
    public int firstRow(int ki) {
        return first(ki * dilationH - padH, strideH, outHeight);
    }

    /** One past the last output row whose tap row {@code ki} lies inside the plane. */
    public int endRow(int ki) {
        return Math.max(firstRow(ki), end(ki * dilationH - padH, strideH, height, outHeight));
    }

    /** The first output column whose tap column {@code kj} lies inside the plane. */
    public int firstCol(int kj) {
        return first(kj * dilationW - padW, strideW, outWidth);
    }

    /** One past the last output column whose tap column {@code kj} lies inside the plane. */
    public int endCol(int kj) {
        return Math.max(firstCol(kj), end(kj * dilationW - padW, strideW, width, outWidth));
    }

    /** The smallest {@code o >= 0} with {@code o*stride + shift >= 0}, at most {@code outSize}. */
    private static int first(int shift, int stride, int outSize) {
        return shift >= 0 ? 0 : Math.min(outSize, (-shift + stride - 1) / stride);
    }

    /** One past the largest {@code o < outSize} with {@code o*stride + shift < size}. */
    private static int end(int shift, int stride, int size, int outSize) {
        int last = size - 1 - shift;
        return last < 0 ? 0 : Math.min(outSize, last / stride + 1);
    }
}
