package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.Kernels;

/**
 * Matrix product with NumPy's semantics: 1-D operands are promoted to a row (left) or a column (right)
 * and the added dimension removed afterwards; leading dimensions are batch dimensions and broadcast.
 * Each 2-D product is rows of {@code a} times {@code b} accumulated with the vector axpy kernel.
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

    /** {@code c += a @ b} for 2-D views; {@code c} is a contiguous slice of a fresh array. */
    private static void multiply(NDArray a, NDArray b, NDArray c) {
        NDArray ac = a.contiguous(), bc = b.contiguous();
        int m = a.size(0), k = a.size(1), n = b.size(1);
        Kernels kernels = c.dtype.kernels();
        Object ad = ac.data(), bd = bc.data(), cd = c.data();
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = kernels.get(ad, ac.offset + i * k + p);
                kernels.axpy(aip, bd, bc.offset + p * n, cd, c.offset + i * n, n);
            }
        }
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
