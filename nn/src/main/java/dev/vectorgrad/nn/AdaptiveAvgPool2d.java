package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;

/**
 * Average pooling to a fixed output size, as PyTorch's AdaptiveAvgPool2d: output row {@code i} of
 * {@code outH} averages input rows {@code floor(i H / outH)} to {@code ceil((i + 1) H / outH)} (exclusive),
 * and likewise for columns. Averaging over a rectangle is averaging over its rows, then its columns, so
 * the layer is two matrix products with fixed averaging matrices: {@code A_h x A_w^T}.
 *
 * <pre>{@code
 * Module head = new AdaptiveAvgPool2d(1);        // global average pooling: [N, C, H, W] -> [N, C, 1, 1]
 * Module grid = new AdaptiveAvgPool2d(3, 4);     // any input size -> [N, C, 3, 4]
 * }</pre>
 */
public final class AdaptiveAvgPool2d extends Activation {

    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        super("AdaptiveAvgPool2d(out=[" + checked(outH) + ", " + checked(outW) + "])", x -> pool(x, outH, outW));
    }

    private static int checked(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got " + size);
        }
        return size;
    }

    private static Tensor pool(Tensor x, int outH, int outW) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d(out=[" + outH + ", " + outW + "]): input of shape "
                    + Shape.format(x.shape()) + " is not [batch, channels, height, width]");
        }
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        // Columns first, [N*C*H, W] @ A_w^T, then rows, on the transposed result: two GEMMs, not N*C small ones.
        Tensor cols = x.reshape(n * c * h, w).matmul(averaging(outW, w, x.dtype()).transpose(0, 1));
        Tensor rows = cols.reshape(n, c, h, outW).transpose(2, 3).reshape(n * c * outW, h)
                .matmul(averaging(outH, h, x.dtype()).transpose(0, 1));
        return rows.reshape(n, c, outW, outH).transpose(2, 3);
    }

    /** {@code [out, size]}: row i holds 1/len over PyTorch's window of output i, 0 elsewhere. */
    static Tensor averaging(int out, int size, DType dtype) {
        NDArray a = NDArray.zeros(dtype, out, size);
        for (int i = 0; i < out; i++) {
            int start = Math.floorDiv(i * size, out), end = -Math.floorDiv(-(i + 1) * size, out);
            a.slice(0, i, i + 1).slice(1, start, end).fill(1.0 / (end - start));
        }
        return Tensor.of(a);
    }
}
