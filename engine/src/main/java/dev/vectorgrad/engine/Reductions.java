package dev.vectorgrad.engine;

import java.util.Arrays;

import dev.vectorgrad.engine.kernels.Kernels;
import dev.vectorgrad.engine.kernels.ReduceOp;

/**
 * Reductions over any set of axes. The reduced axes are brought together so that the kernel folds
 * contiguous runs: rows when they are the trailing axes, whole rows combined elementwise when they are
 * the leading axes of a contiguous array, and a permuted copy otherwise. Each output element is always
 * folded in the same order for a given shape.
 */
final class Reductions {

    private Reductions() {
    }

    static NDArray reduce(String name, ReduceOp op, NDArray x, int[] axes, boolean keepDims) {
        boolean[] reduced = Shape.axesMask(name, axes, x.shape);
        int rank = x.shape.length;
        int[] keptShape = keptShape(x.shape, reduced, false);
        int inner = 1;
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                inner *= x.shape[i];
            }
        }
        if (op != ReduceOp.SUM && inner == 0) {
            throw new IllegalArgumentException(name + ": cannot reduce over an empty axis of shape " + Shape.format(x.shape));
        }
        int outer = Shape.numel(name, keptShape);
        NDArray out = NDArray.empty(x.dtype, keptShape);
        Kernels k = x.dtype.kernels();
        Object od = out.data();
        int reducedAxes = reducedCount(reduced);
        if (x.isContiguous() && reducedAxes > 0 && reducedAxes < rank && isPrefix(reduced, reducedAxes) && outer > 0 && inner > 0) {
            // Leading axes of a contiguous array: combine whole rows elementwise, vectorised across the row.
            Object xd = x.data();
            k.copy(xd, x.offset, 1, od, 0, 1, outer);
            for (int r = 1; r < inner; r++) {
                k.binary(op.combiner(), od, 0, 1, xd, x.offset + r * outer, 1, od, 0, 1, outer);
            }
        } else {
            NDArray rows = x.permute(reducedLast(reduced)).contiguous();
            Object rd = rows.data();
            for (int r = 0; r < outer; r++) {
                k.set(od, r, k.reduce(op, rd, rows.offset + r * inner, inner));
            }
        }
        return keepDims ? out.reshape(keptShape(x.shape, reduced, true)) : out;
    }

    static NDArray argReduce(String name, ReduceOp op, NDArray x, int axis, boolean keepDims) {
        int ax = Shape.axis(name, axis, x.shape);
        int size = x.shape[ax];
        if (size == 0) {
            throw new IllegalArgumentException(name + ": cannot reduce over an empty axis of shape " + Shape.format(x.shape));
        }
        if (x.dtype == DType.FLOAT32 && size > (1 << 24)) {
            throw new IllegalArgumentException(name + ": axis of size " + size + " has indices that FLOAT32 cannot hold"
                    + " exactly; convert to FLOAT64 first");
        }
        boolean[] reduced = new boolean[x.shape.length];
        reduced[ax] = true;
        NDArray rows = x.permute(reducedLast(reduced)).contiguous();
        int[] keptShape = keptShape(x.shape, reduced, false);
        NDArray out = NDArray.empty(x.dtype, keptShape);
        Kernels k = x.dtype.kernels();
        Object rd = rows.data(), od = out.data();
        for (int r = 0, outer = out.numel(); r < outer; r++) {
            k.set(od, r, k.argReduce(op, rd, rows.offset + r * size, size));
        }
        return keepDims ? out.unsqueeze(ax) : out;
    }

    /** The number of elements folded into each output element. */
    static int count(NDArray x, int[] axes, String name) {
        boolean[] reduced = Shape.axesMask(name, axes, x.shape);
        int n = 1;
        for (int i = 0; i < reduced.length; i++) {
            if (reduced[i]) {
                n *= x.shape[i];
            }
        }
        return n;
    }

    static NDArray mean(NDArray x, int[] axes, boolean keepDims) {
        return reduce("mean", ReduceOp.SUM, x, axes, keepDims).div(count(x, axes, "mean"));
    }

    static NDArray var(NDArray x, int[] axes, boolean keepDims, int correction) {
        NDArray centered = x.sub(mean(x, axes, true));
        NDArray squares = reduce("var", ReduceOp.SUM, centered.mul(centered), axes, keepDims);
        return squares.div(Math.max(0, count(x, axes, "var") - correction));
    }

    /** {@code log(sum(exp(x)))} computed as {@code m + log(sum(exp(x - m)))} with {@code m} the finite max. */
    static NDArray logsumexp(NDArray x, int[] axes, boolean keepDims) {
        NDArray m = reduce("logsumexp", ReduceOp.MAX, x, axes, true);
        NDArray shift = NDArray.where(m.abs().eq(Double.POSITIVE_INFINITY), NDArray.scalar(0, m.dtype), m);
        NDArray r = x.sub(shift).exp().sum(axes, true).log().add(shift);
        return keepDims ? r : squeezeAxes(r, Shape.axesMask("logsumexp", axes, x.shape));
    }

    static NDArray softmax(NDArray x, int axis) {
        if (x.numel() == 0) {
            return x.contiguous();
        }
        if (Shape.axis("softmax", axis, x.shape) == x.dim() - 1) {
            // Along the last axis: rows of the contiguous array, one fused pass a row.
            NDArray xc = x.contiguous();
            NDArray out = NDArray.empty(x.dtype, x.shape);
            int cols = x.shape[x.dim() - 1];
            x.dtype.kernels().softmax(xc.data(), xc.offset, out.data(), x.numel() / cols, cols);
            return out;
        }
        NDArray e = x.sub(x.max(new int[] {axis}, true)).exp();
        return e.div(e.sum(new int[] {axis}, true));
    }

    static NDArray logSoftmax(NDArray x, int axis) {
        if (x.numel() == 0) {
            return x.contiguous();
        }
        NDArray shifted = x.sub(x.max(new int[] {axis}, true));
        return shifted.sub(shifted.exp().sum(new int[] {axis}, true).log());
    }

    static NDArray softmaxCrossEntropy(NDArray z, NDArray target) {
        String name = "softmaxCrossEntropy";
        checkRows(name, z, target);
        DType dtype = DType.promote(z.dtype, target.dtype);
        NDArray zc = z.to(dtype).contiguous(), tc = target.to(dtype).contiguous();
        NDArray out = NDArray.empty(dtype, new int[] {z.shape[0]});
        dtype.kernels().softmaxCrossEntropy(zc.data(), zc.offset, tc.data(), tc.offset, out.data(), 0, z.shape[0], z.shape[1]);
        return out;
    }

    static NDArray softmaxCrossEntropyBackward(NDArray z, NDArray target, NDArray g) {
        String name = "softmaxCrossEntropyBackward";
        checkRows(name, z, target);
        if (!Arrays.equals(g.shape, new int[] {z.shape[0]})) {
            throw new IllegalArgumentException(name + ": gradient of shape " + Shape.format(g.shape) + " for "
                    + z.shape[0] + " rows");
        }
        DType dtype = DType.promote(DType.promote(z.dtype, target.dtype), g.dtype);
        NDArray zc = z.to(dtype).contiguous(), tc = target.to(dtype).contiguous(), gc = g.to(dtype).contiguous();
        NDArray out = NDArray.empty(dtype, z.shape);
        dtype.kernels().softmaxCrossEntropyBackward(zc.data(), zc.offset, tc.data(), tc.offset, gc.data(), gc.offset,
                out.data(), 0, z.shape[0], z.shape[1]);
        return out;
    }

    private static void checkRows(String name, NDArray z, NDArray target) {
        if (z.dim() != 2 || !Arrays.equals(z.shape, target.shape)) {
            throw new IllegalArgumentException(name + ": needs logits [rows, classes] and a target of the same shape, got "
                    + Shape.format(z.shape) + " and " + Shape.format(target.shape));
        }
    }

    private static NDArray squeezeAxes(NDArray x, boolean[] axes) {
        return x.reshape(keptShape(x.shape, axes, false));
    }

    private static int[] keptShape(int[] shape, boolean[] reduced, boolean keepDims) {
        int n = 0;
        for (int i = 0; i < shape.length; i++) {
            n += reduced[i] && !keepDims ? 0 : 1;
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!reduced[i]) {
                out[j++] = shape[i];
            } else if (keepDims) {
                out[j++] = 1;
            }
        }
        return out;
    }

    /** The permutation that moves the reduced axes to the end, each group in its original order. */
    private static int[] reducedLast(boolean[] reduced) {
        int[] perm = new int[reduced.length];
        int j = 0;
        for (int i = 0; i < reduced.length; i++) {
            if (!reduced[i]) {
                perm[j++] = i;
            }
        }
        for (int i = 0; i < reduced.length; i++) {
            if (reduced[i]) {
                perm[j++] = i;
            }
        }
        return perm;
    }

    private static int reducedCount(boolean[] reduced) {
        int n = 0;
        for (boolean r : reduced) {
            n += r ? 1 : 0;
        }
        return n;
    }

    private static boolean isPrefix(boolean[] reduced, int count) {
        for (int i = 0; i < count; i++) {
            if (!reduced[i]) {
                return false;
            }
        }
        return true;
    }
}
