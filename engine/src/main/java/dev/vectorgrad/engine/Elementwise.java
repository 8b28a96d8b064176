package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.BinaryOp;
import dev.vectorgrad.engine.kernels.Conversions;
import dev.vectorgrad.engine.kernels.Kernels;
import dev.vectorgrad.engine.kernels.UnaryOp;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Elementwise ops: broadcasting and dtype promotion are settled here, once, and every inner run goes
 * to a kernel with its strides; the kernel vectorises runs that are contiguous or broadcast scalars.
 */
final class Elementwise {

    /**
     * Elements a thread takes at the least: streaming ops (a few cycles an element, bound by memory) split
     * from 256K elements on, where a job's start costs under a tenth of the work; ops that compute a
     * function split from 64K.
     */
    private static final int STREAM_GRAIN = 1 << 17;
    private static final int COMPUTE_GRAIN = 1 << 15;

    private Elementwise() {
    }

    private static int grain(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, SIGN -> STREAM_GRAIN;
            default -> COMPUTE_GRAIN;
        };
    }

    static NDArray binary(String name, BinaryOp op, NDArray a, NDArray b) {
        int[] shape = Shape.broadcast(name, a.shape, b.shape);
        DType dtype = DType.promote(a.dtype, b.dtype);
        NDArray out = NDArray.empty(dtype, shape);
        binaryInto(op, a.to(dtype).broadcastTo(shape), b.to(dtype).broadcastTo(shape), out);
        return out;
    }

    static NDArray binary(String name, BinaryOp op, NDArray a, double s) {
        return binary(name, op, a, NDArray.scalar(s, a.dtype));
    }

    /** {@code out = a op b} where {@code a} and {@code b} already have the shape and dtype of {@code out}. */
    private static void binaryInto(BinaryOp op, NDArray a, NDArray b, NDArray out) {
        Kernels k = out.dtype.kernels();
        Object ad = a.data(), bd = b.data(), od = out.data();
        ElementRuns.forEachSplit(out.shape, new int[] {out.offset, a.offset, b.offset},
                new int[][] {out.strides, a.strides, b.strides}, op == BinaryOp.POW ? COMPUTE_GRAIN : STREAM_GRAIN,
                (off, st, n) -> k.binary(op, ad, off[1], st[1], bd, off[2], st[2], od, off[0], st[0], n));
    }

    /** {@code x = x op other}, {@code other} broadcast to the shape of {@code x} and cast to its dtype. */
    static NDArray binaryInPlace(String name, BinaryOp op, NDArray x, NDArray other) {
        checkWritable(name, x);
        NDArray b = broadcastOnto(name, x, other).to(x.dtype);
        binaryInto(op, x, b, x);
        x.storage.bumpVersion();
        return x;
    }

    /** {@code x += alpha * other}, PyTorch's {@code add_(other, alpha=...)}. */
    static NDArray axpyInPlace(NDArray x, NDArray other, double alpha) {
        String name = "addInPlace";
        checkWritable(name, x);
        NDArray b = broadcastOnto(name, x, other).to(x.dtype);
        if (!x.isContiguous() || !b.isContiguous()) {
            return binaryInPlace(name, BinaryOp.ADD, x, b.mul(alpha));
        }
        x.dtype.kernels().axpy(alpha, b.data(), b.offset, x.data(), x.offset, x.numel());
        x.storage.bumpVersion();
        return x;
    }

    /** Copies {@code src} (broadcast, any dtype) into {@code x}, PyTorch's {@code copy_}. */
    static NDArray copyInto(NDArray x, NDArray src) {
        String name = "copyFrom";
        checkWritable(name, x);
        copy(broadcastOnto(name, x, src), x);
        x.storage.bumpVersion();
        return x;
    }

    static NDArray fill(NDArray x, double value) {
        return copyInto(x, NDArray.scalar(value, x.dtype));
    }

    /** Copies {@code src} into {@code out} element by element; the shapes agree, the dtypes may not. */
    static void copy(NDArray src, NDArray out) {
        Object sd = src.data(), od = out.data();
        Kernels k = out.dtype.kernels();
        boolean sameType = src.dtype == out.dtype;
        ElementRuns.forEachSplit(out.shape, new int[] {out.offset, src.offset}, new int[][] {out.strides, src.strides},
                STREAM_GRAIN, (off, st, n) -> {
                    if (sameType) {
                        k.copy(sd, off[1], st[1], od, off[0], st[0], n);
                    } else {
                        Conversions.convert(sd, off[1], st[1], od, off[0], st[0], n);
                    }
                });
    }

    /** Elements of a unit of a large contiguous unary op (see {@link StagedOutput}). */
    private static final int UNIT = 1 << 15;

    static NDArray unary(UnaryOp op, NDArray a) {
        Kernels k = a.dtype.kernels();
        Object ad = a.data();
        int numel = a.numel();
        if (a.isContiguous() && numel >= StagedOutput.STAGE_FROM && Parallel.threads() > 1) {
            // The result is allocated by one task while the others start on their units.
            IntUnaryOperator length = u -> Math.min(UNIT, numel - u * UNIT);
            int units = (numel + UNIT - 1) / UNIT;
            Object out = StagedOutput.compute(a.dtype, numel, units, Parallel.threads(), UNIT, u -> u * UNIT, length,
                    t -> (u, dest, offset) -> k.unary(op, ad, a.offset + u * UNIT, 1, dest, offset, 1, length.applyAsInt(u)));
            return new NDArray(new Storage(out), a.dtype, a.shape.clone(), Shape.contiguousStrides(a.shape), 0);
        }
        NDArray out = NDArray.empty(a.dtype, a.shape);
        Object od = out.data();
        ElementRuns.forEachSplit(out.shape, new int[] {out.offset, a.offset}, new int[][] {out.strides, a.strides},
                grain(op), (off, st, n) -> k.unary(op, ad, off[1], st[1], od, off[0], st[0], n));
        return out;
    }

    static NDArray where(NDArray condition, NDArray a, NDArray b) {
        String name = "where";
        int[] shape = Shape.broadcast(name, Shape.broadcast(name, condition.shape, a.shape), b.shape);
        DType dtype = DType.promote(a.dtype, b.dtype);
        NDArray out = NDArray.empty(dtype, shape);
        NDArray c = condition.to(dtype).broadcastTo(shape);
        NDArray x = a.to(dtype).broadcastTo(shape);
        NDArray y = b.to(dtype).broadcastTo(shape);
        Kernels k = dtype.kernels();
        Object cd = c.data(), xd = x.data(), yd = y.data(), od = out.data();
        ElementRuns.forEachSplit(shape, new int[] {out.offset, c.offset, x.offset, y.offset},
                new int[][] {out.strides, c.strides, x.strides, y.strides}, STREAM_GRAIN, (off, st, n) -> {
                    if (st[1] == 1 && st[2] == 1 && st[3] == 1) {
                        k.where(cd, off[1], xd, off[2], yd, off[3], od, off[0], n);
                    } else {
                        k.whereStrided(cd, off[1], st[1], xd, off[2], st[2], yd, off[3], st[3], od, off[0], st[0], n);
                    }
                });
        return out;
    }

    private static NDArray broadcastOnto(String name, NDArray x, NDArray other) {
        int[] shape = Shape.broadcast(name, x.shape, other.shape);
        if (!Arrays.equals(shape, x.shape)) {
            throw new IllegalArgumentException(name + ": cannot broadcast " + Shape.format(other.shape)
                    + " onto the shape " + Shape.format(x.shape) + " of the array written in place");
        }
        return other.broadcastTo(x.shape);
    }

    /** An in-place write through a broadcast view would write one element several times. */
    private static void checkWritable(String name, NDArray x) {
        for (int i = 0; i < x.shape.length; i++) {
            if (x.strides[i] == 0 && x.shape[i] > 1) {
                throw new IllegalArgumentException(name + ": cannot write in place into a broadcast view of shape "
                        + Shape.format(x.shape) + " (axis " + i + " has stride 0); call contiguous() first");
            }
        }
    }
}
