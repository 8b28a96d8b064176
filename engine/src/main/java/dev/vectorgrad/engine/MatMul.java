package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.Kernels;
import java.util.Arrays;

/**
 * Matrix product with NumPy's semantics: 1-D operands are promoted to a row (left) or a column (right)
 * and the added dimension removed afterwards; leading dimensions are batch dimensions and broadcast.
 * Each 2-D product goes to the blocked GEMM kernel, which reads transposed or strided operands through
 * their strides while packing, so no operand is copied first.
 */
final class MatMul {

    private MatMul() {
    }

    static NDArray matmul(NDArray a, NDArray b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least one dimension, got "
                    + Shape.format(a.shape) + " and " + Shape.format(b.shape));
        }
        NDArray a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
        NDArray b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        int m = a2.size(-2), k = a2.size(-1), k2 = b2.size(-2), n = b2.size(-1);
        if (k != k2) {
            throw new IllegalArgumentException("matmul: cannot multiply " + Shape.format(a.shape) + " by "
                    + Shape.format(b.shape) + " (inner dimensions " + k + " and " + k2 + " differ)");
        }
        int[] batch = Shape.broadcast("matmul", batchShape(a2), batchShape(b2));
        DType dtype = DType.promote(a.dtype, b.dtype);
        NDArray x = a2.to(dtype).broadcastTo(withMatrix(batch, m, k));
        NDArray y = b2.to(dtype).broadcastTo(withMatrix(batch, k, n));
        NDArray out = NDArray.zeros(dtype, withMatrix(batch, m, n));
        int batches = Shape.numel("matmul", batch);
        for (int i = 0; i < batches; i++) {
            multiply(matrix(x, batch, i), matrix(y, batch, i), matrix(out, batch, i));
        }
        NDArray result = out;
        if (a.dim() == 1) {
            result = result.squeeze(-2);
        }
        if (b.dim() == 1) {
            result = result.squeeze(-1);
        }
        return result;
    }

    static NDArray addmm(NDArray input, NDArray a, NDArray b) {
        if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(0)) {
            throw new IllegalArgumentException("addmm: cannot multiply " + Shape.format(a.shape) + " by "
                    + Shape.format(b.shape) + " (needs two matrices with equal inner dimensions)");
        }
        int[] shape = {a.size(0), b.size(1)};
        if (!Arrays.equals(Shape.broadcast("addmm", input.shape, shape), shape)) {
            throw new IllegalArgumentException("addmm: input of shape " + Shape.format(input.shape)
                    + " does not broadcast to the product's shape " + Shape.format(shape));
        }
        DType dtype = DType.promote(DType.promote(a.dtype, b.dtype), input.dtype);
        NDArray out = NDArray.empty(dtype, shape);
        Elementwise.copy(input.to(dtype).broadcastTo(shape), out);
        multiply(a.to(dtype), b.to(dtype), out);
        return out;
    }

    /** Below this many multiply-adds a product stays on the calling thread. */
    private static final long PARALLEL_WORK = 1 << 20;
    /** Splits fall on multiples of every dtype's register tile (rows of 8, columns of 16 or 32). */
    private static final int ROW_ALIGN = 48;
    private static final int COLUMN_ALIGN = 64;

    /**
     * {@code c += a @ b} for 2-D views ({@code c} contiguous rows), split into column (or, for a narrow
     * product, row) blocks across the pool. Every element of {@code c} is computed by the same sequence
     * of operations whichever block it falls in, so the result does not depend on the thread count.
     */
    private static void multiply(NDArray a, NDArray b, NDArray c) {
        int m = a.size(0), k = a.size(1), n = b.size(1);
        Kernels kernels = c.dtype.kernels();
        Object ad = a.data(), bd = b.data(), cd = c.data();
        int ldc = c.strides[0];
        long work = (long) m * n * k;
        int threads = work < PARALLEL_WORK ? 1 : Parallel.threads();
        boolean byColumns = n >= m;
        int align = byColumns ? COLUMN_ALIGN : ROW_ALIGN;
        int extent = byColumns ? n : m;
        int chunk = ((extent + threads - 1) / threads + align - 1) / align * align;
        int tasks = (extent + chunk - 1) / chunk;
        Parallel.forEach(tasks, t -> {
            int from = t * chunk;
            int size = Math.min(chunk, extent - from);
            if (byColumns) {
                kernels.gemm(m, size, k, ad, a.offset, a.strides[0], a.strides[1],
                        bd, b.offset + from * b.strides[1], b.strides[0], b.strides[1], cd, c.offset + from, ldc);
            } else {
                kernels.gemm(size, n, k, ad, a.offset + from * a.strides[0], a.strides[0], a.strides[1],
                        bd, b.offset, b.strides[0], b.strides[1], cd, c.offset + from * ldc, ldc);
            }
        });
    }

    /** The 2-D matrix number {@code index} (row-major over the batch dimensions) of a batched view. */
    private static NDArray matrix(NDArray x, int[] batch, int index) {
        int offset = x.offset;
        for (int d = batch.length - 1, rest = index; d >= 0; d--) {
            offset += (rest % batch[d]) * x.strides[d];
            rest /= batch[d];
        }
        int r = x.dim();
        return x.view(new int[] {x.shape[r - 2], x.shape[r - 1]}, new int[] {x.strides[r - 2], x.strides[r - 1]}, offset);
    }

    private static int[] batchShape(NDArray x) {
        int[] s = new int[x.dim() - 2];
        System.arraycopy(x.shape, 0, s, 0, s.length);
        return s;
    }

    private static int[] withMatrix(int[] batch, int rows, int cols) {
        int[] s = new int[batch.length + 2];
        System.arraycopy(batch, 0, s, 0, batch.length);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }
}
