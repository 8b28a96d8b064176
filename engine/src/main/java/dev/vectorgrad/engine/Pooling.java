package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.Kernels;
import dev.vectorgrad.engine.kernels.ReduceOp;
import dev.vectorgrad.engine.kernels.Window2d;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * 2-D max and average pooling over NCHW inputs and their gradients: the output size (PyTorch's formula,
 * with ceil mode) and the checks are settled here, and blocks of planes go to a kernel. Planes are
 * independent and the kernels compute each output the same way wherever a block starts, so blocks are
 * spread across the pool and the result never depends on the thread count.
 */
final class Pooling {

    private Pooling() {
    }

    /** Below this many window taps pooling stays on the calling thread. */
    private static final long PARALLEL_WORK = 1 << 15;

    /** The window over one plane of {@code input} ([N, C, H, W]), checked; {@code op} names the caller in errors. */
    static Window2d window(String op, int[] input, PoolParams p) {
        if (input.length != 4) {
            throw new IllegalArgumentException(op + ": input must be 4-D [batch, channels, height, width], got "
                    + Shape.format(input));
        }
        int oh = outSize(input[2], p.kernelH(), p.strideH(), p.padH(), p.dilationH(), p.ceilMode());
        int ow = outSize(input[3], p.kernelW(), p.strideW(), p.padW(), p.dilationW(), p.ceilMode());
        if (oh < 1 || ow < 1 || !covers(oh, input[2], p.kernelH(), p.strideH(), p.padH(), p.dilationH())
                || !covers(ow, input[3], p.kernelW(), p.strideW(), p.padW(), p.dilationW())) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(input) + " is too small for kernel ["
                    + p.kernelH() + ", " + p.kernelW() + "] with stride [" + p.strideH() + ", " + p.strideW() + "], padding ["
                    + p.padH() + ", " + p.padW() + "] and dilation [" + p.dilationH() + ", " + p.dilationW()
                    + "]: some window would hold no input");
        }
        return new Window2d(input[2], input[3], oh, ow, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(),
                p.padW(), p.dilationH(), p.dilationW());
    }

    /**
     * PyTorch's pooling output size: {@code (size + 2 pad - dilation (kernel - 1) - 1) / stride + 1}, rounded
     * down or (ceil mode) up, where a last window that would start in the right padding is dropped.
     */
    static int outSize(int size, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
        int span = size + 2 * pad - dilation * (kernel - 1) - 1;
        if (span < 0) {
            return 0;
        }
        int out = (ceilMode ? span + stride - 1 : span) / stride + 1;
        if (ceilMode && (out - 1) * stride >= size + pad) {
            out--;
        }
        return out;
    }

    /** Whether every window along one axis holds at least one input element. */
    private static boolean covers(int out, int size, int kernel, int stride, int pad, int dilation) {
        for (int o = 0; o < out; o++) {
            int start = o * stride - pad;
            int first = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
            if (first >= kernel || start + first * dilation >= size) {
                return false;
            }
        }
        return true;
    }

    /** {values, indices}: indices are positions {@code h*W + w} in each input plane, held as whole numbers. */
    static NDArray[] maxPool2d(NDArray input, PoolParams p) {
        Window2d w = window("maxPool2d", input.shape, p);
        NDArray x = input.contiguous();
        int[] shape = outputShape(input.shape, w);
        NDArray out = NDArray.empty(x.dtype, shape), indices = NDArray.empty(x.dtype, shape);
        Kernels k = x.dtype.kernels();
        Object xd = x.data(), od = out.data(), id = indices.data();
        int plane = w.height() * w.width(), outPlane = w.outHeight() * w.outWidth();
        forEachPlane(input.shape, w, (c, planes) -> k.maxPool2d(w, planes, xd, x.offset + c * plane, od, c * outPlane, id,
                c * outPlane));
        return new NDArray[] {out, indices};
    }

    static NDArray maxPool2dBackward(NDArray gradOutput, NDArray indices, int[] inputShape) {
        String op = "maxPool2dBackward";
        if (inputShape.length != 4 || gradOutput.dim() != 4 || !Arrays.equals(gradOutput.shape, indices.shape)
                || gradOutput.shape[0] != inputShape[0] || gradOutput.shape[1] != inputShape[1]) {
            throw new IllegalArgumentException(op + ": gradient " + Shape.format(gradOutput.shape) + " and indices "
                    + Shape.format(indices.shape) + " must have one shape [N, C, outH, outW] matching the input "
                    + Shape.format(inputShape) + " in N and C");
        }
        int plane = inputShape[2] * inputShape[3], outPlane = gradOutput.shape[2] * gradOutput.shape[3];
        NDArray idx = indices.to(gradOutput.dtype).contiguous();
        Kernels k = gradOutput.dtype.kernels();
        NDArray g = gradOutput.contiguous();
        NDArray dx = NDArray.empty(g.dtype, inputShape);
        Object gd = g.data(), id = idx.data(), xd = dx.data();
        AtomicBoolean valid = new AtomicBoolean(true);
        forEachPlane(inputShape, outPlane, (c, planes) -> {
            if (!k.maxPool2dBackward(gd, g.offset + c * outPlane, id, idx.offset + c * outPlane, outPlane, planes, plane, xd,
                    c * plane)) {
                valid.set(false);
            }
        });
        if (!valid.get()) {
            int n = idx.numel();
            throw new IllegalArgumentException(op + ": indices must lie in [0, " + plane + ") for input planes of shape "
                    + Shape.format(inputShape) + ", got values in [" + k.reduce(ReduceOp.MIN, id, idx.offset, n) + ", "
                    + k.reduce(ReduceOp.MAX, id, idx.offset, n) + "]");
        }
        return dx;
    }

    static NDArray avgPool2d(NDArray input, PoolParams p, boolean countIncludePad) {
        Window2d w = window("avgPool2d", input.shape, checkNoDilation("avgPool2d", p));
        NDArray x = input.contiguous();
        NDArray out = NDArray.empty(x.dtype, outputShape(input.shape, w));
        Kernels k = x.dtype.kernels();
        Object xd = x.data(), od = out.data();
        int plane = w.height() * w.width(), outPlane = w.outHeight() * w.outWidth();
        forEachPlane(input.shape, w, (c, planes) -> k.avgPool2d(w, planes, countIncludePad, xd, x.offset + c * plane, od,
                c * outPlane));
        return out;
    }

    static NDArray avgPool2dBackward(NDArray gradOutput, int[] inputShape, PoolParams p, boolean countIncludePad) {
        String op = "avgPool2dBackward";
        Window2d w = window(op, inputShape, checkNoDilation(op, p));
        int[] expected = outputShape(inputShape, w);
        if (!Arrays.equals(gradOutput.shape, expected)) {
            throw new IllegalArgumentException(op + ": gradient of shape " + Shape.format(gradOutput.shape)
                    + " does not match the output shape " + Shape.format(expected) + " of input " + Shape.format(inputShape));
        }
        NDArray g = gradOutput.contiguous();
        NDArray dx = NDArray.empty(g.dtype, inputShape);
        Kernels k = g.dtype.kernels();
        Object gd = g.data(), xd = dx.data();
        int plane = w.height() * w.width(), outPlane = w.outHeight() * w.outWidth();
        forEachPlane(inputShape, w, (c, planes) -> k.avgPool2dBackward(w, planes, countIncludePad, gd, g.offset + c * outPlane,
                xd, c * plane));
        return dx;
    }

    private static PoolParams checkNoDilation(String op, PoolParams p) {
        if (p.dilationH() != 1 || p.dilationW() != 1) {
            throw new IllegalArgumentException(op + ": average pooling has no dilation, got [" + p.dilationH() + ", "
                    + p.dilationW() + "]");
        }
        return p;
    }

    private static int[] outputShape(int[] input, Window2d w) {
        return new int[] {input[0], input[1], w.outHeight(), w.outWidth()};
    }

    /** A block of {@code planes} consecutive planes from plane index {@code first} ({@code n*C + c}). */
    @FunctionalInterface
    private interface PlaneBlock {
        void run(int first, int planes);
    }

    /** Runs {@code body} on blocks of planes that cover every plane once, several blocks in parallel for large inputs. */
    private static void forEachPlane(int[] input, Window2d w, PlaneBlock body) {
        forEachPlane(input, w.outHeight() * w.outWidth() * w.kernelH() * w.kernelW(), body);
    }

    /** {@link #forEachPlane(int[], Window2d, PlaneBlock)} for {@code perPlane} steps of work a plane. */
    private static void forEachPlane(int[] input, int perPlane, PlaneBlock body) {
        int planes = input[0] * input[1];
        long work = (long) planes * perPlane;
        int tasks = Math.min(planes, work < PARALLEL_WORK ? 1 : 4 * Parallel.threads());
        int block = tasks == 0 ? 0 : (planes + tasks - 1) / tasks;
        Parallel.forEach(tasks, t -> {
            int first = t * block;
            if (first < planes) {
                body.run(first, Math.min(planes, first + block) - first);
            }
        });
    }
}
