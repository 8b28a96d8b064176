package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.BinaryOp;
import dev.vectorgrad.engine.kernels.DirectLayout;
import dev.vectorgrad.engine.kernels.Kernels;
import dev.vectorgrad.engine.kernels.Window2d;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * 2-D convolution (NCHW input, weight {@code [out, in/groups, kh, kw]}) and the two products its
 * gradient needs. Per sample and group:
 * <ul>
 * <li>stride 1, forward: the direct kernel ({@code convDirect}): the input is copied once with its
 * padding, so that every tap reads at a constant shift, and blocks of output channels by output rows
 * accumulate in registers over all taps. On the benchmark layers it ran about 1.5 times as fast as
 * im2col and the packed GEMM, whose packing and unfolding it does not need. Rows narrower than a vector
 * (small images) run across output channels instead (see {@link DirectLayout});</li>
 * <li>stride 1, input gradient: the same kernel on the output gradient, with the kernel rotated by half
 * a turn and its channel axes swapped (the transposed convolution of stride 1 is a convolution);</li>
 * <li>other strides: {@code out = W col} with {@code col} the unfolded input (im2col and the GEMM), and
 * the input gradient {@code col2im(W^T gradOut)};</li>
 * <li>weight gradient: {@code gradW = sum over samples of gradOut col^T}. Stride 1 with enough taps: without
 * unfolding, vectors of output channels times taps read from the padded input ({@code weightGradDirect});
 * on the 32 to 64 channel benchmark layer 2.7 times as fast as the dot products below, and twice as fast
 * as im2col and the packed GEMM. Otherwise as dot products of rows ({@code rowDots}), several small
 * samples side by side so that each runs over enough positions.</li>
 * </ul>
 *
 * <p>Work is split across the pool by sample and group, then by panels of output channels (direct), rows
 * of output (im2col), input channels (col2im) or weight columns (weight gradient). Each element is
 * computed by the same sequence of operations whatever block it falls in: the weight gradient sums
 * samples into a fixed number of partial sums, chosen from the batch size alone, and adds those in order.
 * So the result has the same bits with any number of threads.
 */
final class Conv {

    private Conv() {
    }

    /** Below this many multiply-adds a convolution stays on the calling thread. */
    private static final long PARALLEL_WORK = 1 << 18;
    /** The unfolded block of one task is kept to about this many elements, so that it stays in L2 beside the packed panels. */
    private static final int COL_BUDGET = 1 << 17;
    /** The weight gradient's dot products run over at least this many positions when the images are small. */
    private static final int DOT_LENGTH = 512;
    /**
     * Stride 1 takes the weight gradient without unfolding from this many taps: laying the output gradient
     * out across channels costs about as much as a few taps, and a block of six taps wastes some on a few
     * (against the unfolded products, batch 64 or 32: the digits CNN's 9 taps ran at half their speed, its 144
     * at 3.7 times; the 27 taps of a 3-channel layer of 32x32 at 0.6 times, 288 of 16x16 at 2.7 times).
     */
    private static final int DIRECT_TAPS = 32;
    /** The weight gradient sums the batch in at most this many partial sums, then adds them in order. */
    private static final int PARTIALS = 8;

    /** The sizes of one convolution, checked. */
    record Geometry(int batch, int channels, int outChannels, int groups, Window2d window) {
        int groupChannels() {
            return channels / groups;
        }

        int groupOut() {
            return outChannels / groups;
        }

        int kernelArea() {
            return window.kernelH() * window.kernelW();
        }

        /** Rows of the unfolded matrix of one group: the inner dimension of the forward product. */
        int taps() {
            return groupChannels() * kernelArea();
        }

        int plane() {
            return window.height() * window.width();
        }

        int outPlane() {
            return window.outHeight() * window.outWidth();
        }

        int[] inputShape() {
            return new int[] {batch, channels, window.height(), window.width()};
        }

        int[] weightShape() {
            return new int[] {outChannels, groupChannels(), window.kernelH(), window.kernelW()};
        }

        int[] outputShape() {
            return new int[] {batch, outChannels, window.outHeight(), window.outWidth()};
        }

        long work() {
            return (long) batch * outChannels * outPlane() * taps();
        }
    }

    static Geometry geometry(String op, int[] input, int[] weight, ConvParams p) {
        if (input.length != 4) {
            throw new IllegalArgumentException(op + ": input must be 4-D [batch, channels, height, width], got "
                    + Shape.format(input));
        }
        if (weight.length != 4) {
            throw new IllegalArgumentException(op + ": weight must be 4-D [out channels, in channels / groups, kernel height,"
                    + " kernel width], got " + Shape.format(weight));
        }
        int groups = p.groups();
        if (weight[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": weight " + Shape.format(weight) + " has " + weight[0]
                    + " output channels, which " + groups + " groups do not divide");
        }
        if (input[1] != weight[1] * groups) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(input) + " has " + input[1]
                    + " channels, but weight " + Shape.format(weight) + " with " + groups + " group(s) expects "
                    + weight[1] * groups);
        }
        if (weight[2] < 1 || weight[3] < 1) {
            throw new IllegalArgumentException(op + ": weight " + Shape.format(weight) + " has an empty kernel");
        }
        int spanH = p.dilationH() * (weight[2] - 1) + 1, spanW = p.dilationW() * (weight[3] - 1) + 1;
        int paddedH = input[2] + 2 * p.padH(), paddedW = input[3] + 2 * p.padW();
        if (spanH > paddedH || spanW > paddedW) {
            throw new IllegalArgumentException(op + ": kernel " + weight[2] + "x" + weight[3] + " (spanning " + spanH + "x"
                    + spanW + " with dilation) is larger than the padded input " + paddedH + "x" + paddedW + " (input "
                    + Shape.format(input) + ", padding [" + p.padH() + ", " + p.padW() + "])");
        }
        Window2d window = new Window2d(input[2], input[3], (paddedH - spanH) / p.strideH() + 1,
                (paddedW - spanW) / p.strideW() + 1, weight[2], weight[3], p.strideH(), p.strideW(), p.padH(), p.padW(),
                p.dilationH(), p.dilationW());
        return new Geometry(input[0], input[1], weight[0], groups, window);
    }

    static NDArray conv2d(NDArray input, NDArray weight, ConvParams p) {
        Geometry g = geometry("conv2d", input.shape, weight.shape, p);
        DType dtype = DType.promote(input.dtype, weight.dtype);
        NDArray x = input.to(dtype).contiguous(), w = weight.to(dtype).contiguous();
        Kernels k = dtype.kernels();
        int taps = g.taps(), og = g.groupOut();
        if (stride1(p)) {
            return direct(g, g.window(), g.groupChannels(), og, x, g.outputShape(),
                    (layout, group) -> k.packDirect(layout, w.data(), w.offset + group * og * taps, og, g.groupChannels(),
                            g.kernelArea(), taps, g.kernelArea(), false));
        }
        NDArray out = NDArray.empty(dtype, g.outputShape());
        Window2d win = g.window();
        int ow = win.outWidth(), units0 = g.batch() * g.groups();
        int threads = threads(g);
        int rows = Math.clamp(COL_BUDGET / Math.max(1, taps * ow), 1, Math.max(1, win.outHeight()));
        if (units0 < threads) {
            rows = Math.min(rows, Math.max(1, ceilDiv(win.outHeight(), ceilDiv(threads, Math.max(1, units0)))));
        }
        int chunkRows = rows, chunks = ceilDiv(win.outHeight(), chunkRows);
        Object xd = x.data(), wd = w.data(), od = out.data();
        forEachUnit(units0 * chunks, threads, k, taps * chunkRows * ow, (unit, col) -> {
            int n = unit / (g.groups() * chunks), group = unit / chunks % g.groups(), chunk = unit % chunks;
            int from = chunk * chunkRows, to = Math.min(win.outHeight(), from + chunkRows);
            int cols = (to - from) * ow;
            k.im2col(win, xd, x.offset + (n * g.channels() + group * g.groupChannels()) * g.plane(), g.groupChannels(),
                    col, 0, cols, from, to);
            k.gemm(og, cols, taps, wd, w.offset + group * og * taps, taps, 1, col, 0, cols, 1,
                    od, (n * g.outChannels() + group * og) * g.outPlane() + from * ow, g.outPlane());
        });
        return out;
    }

    private static boolean stride1(ConvParams p) {
        return p.strideH() == 1 && p.strideW() == 1;
    }

    /**
     * For every sample and group, {@code out[n, group*rows .. (group+1)*rows]} is the stride-1 convolution
     * under {@code win} of the group's {@code channels} planes of {@code x}, with weights packed by
     * {@code pack}, into a new array of shape {@code outShape}; the forward pass, and (on the output
     * gradient, with the kernel rotated) the input gradient. Work is split by sample and group, then by
     * panels of output channels, and claimed a unit at a time. A large output takes long to allocate, since
     * Java zeroes it (on the 4 MB of the 3 to 32 channel benchmark layer, a third of the time of the
     * convolution on two threads): the first task allocates it while the others compute their first units
     * into staging space of their own and copy them over once it is there (see {@link StagedOutput}).
     */
    private static NDArray direct(Geometry g, Window2d win, int channels, int rows, NDArray x, int[] outShape, Pack pack) {
        DType dtype = x.dtype;
        Kernels k = dtype.kernels();
        DirectLayout layout = k.directLayout(win, channels, rows);
        Object[] packed = new Object[g.groups()];
        Arrays.setAll(packed, group -> pack.weights(layout, group));
        int units0 = g.batch() * g.groups(), threads = threads(g), taps = layout.shift().length;
        int panels = ceilDiv(rows, layout.panel());
        int split = units0 >= threads ? 1 : Math.min(panels, ceilDiv(threads, Math.max(1, units0)));
        int chunkRows = Math.max(1, ceilDiv(panels, Math.max(1, split))) * layout.panel(), chunks = ceilDiv(rows, chunkRows);
        int inPlane = win.height() * win.width(), outPlane = win.outHeight() * win.outWidth();
        int inChannels = x.shape[1], outChannels = outShape[1], units = units0 * chunks;
        int numel = Shape.numel("conv2d", outShape), block = Math.min(chunkRows, rows) * outPlane;
        int chunksPerSample = g.groups() * chunks;
        Object xd = x.data();
        IntUnaryOperator at = unit -> (unit / chunksPerSample * outChannels + unit / chunks % g.groups() * rows
                + unit % chunks * chunkRows) * outPlane;
        IntUnaryOperator length = unit -> Math.min(chunkRows, rows - unit % chunks * chunkRows) * outPlane;
        Object out = StagedOutput.compute(dtype, numel, units, Math.min(units, threads), block, at, length, t -> {
            Object scratch = k.allocate(layout.paddedSize(channels) + layout.outSize(chunkRows));
            return (unit, dest, offset) -> {
                int n = unit / chunksPerSample, group = unit / chunks % g.groups(), r0 = unit % chunks * chunkRows;
                k.convDirect(layout, xd, x.offset + (n * inChannels + group * channels) * inPlane, channels, packed[group],
                        r0 * taps, Math.min(chunkRows, rows - r0), dest, offset, scratch);
            };
        });
        return new NDArray(new Storage(out), dtype, outShape.clone(), Shape.contiguousStrides(outShape), 0);
    }

    /** The weights of one group packed for {@code convDirect} under a layout. */
    @FunctionalInterface
    private interface Pack {
        Object weights(DirectLayout layout, int group);
    }

    static NDArray inputGrad(int[] inputShape, NDArray weight, NDArray gradOutput, ConvParams p) {
        Geometry g = geometry("conv2dInputGrad", inputShape, weight.shape, p);
        checkGradOutput("conv2dInputGrad", g, gradOutput);
        DType dtype = DType.promote(gradOutput.dtype, weight.dtype);
        NDArray w = weight.to(dtype).contiguous(), gy = gradOutput.to(dtype).contiguous();
        Kernels k = dtype.kernels();
        int cg = g.groupChannels(), og = g.groupOut(), taps = g.taps(), area = g.kernelArea(), hw = g.outPlane();
        if (stride1(p)) {
            // The transposed convolution is a convolution of the output gradient with the kernel rotated by
            // half a turn and its channels swapped, padded by what the forward pass's padding leaves of the
            // kernel's span (a negative padding crops).
            Window2d f = g.window();
            Window2d back = new Window2d(f.outHeight(), f.outWidth(), f.height(), f.width(), f.kernelH(), f.kernelW(), 1, 1,
                    f.dilationH() * (f.kernelH() - 1) - f.padH(), f.dilationW() * (f.kernelW() - 1) - f.padW(), f.dilationH(),
                    f.dilationW());
            return direct(g, back, og, cg, gy, inputShape, (layout, group) -> k.packDirect(layout, w.data(),
                    w.offset + group * og * taps, cg, og, area, area, taps, true));
        }
        NDArray dx = NDArray.empty(dtype, inputShape);
        int units0 = g.batch() * g.groups(), threads = threads(g);
        int split = units0 >= threads ? 1 : Math.min(cg, ceilDiv(threads, Math.max(1, units0)));
        int chunkChannels = ceilDiv(Math.max(1, cg), split), chunks = ceilDiv(cg, chunkChannels);
        Object wd = w.data(), gd = gy.data(), xd = dx.data();
        forEachUnit(units0 * chunks, threads, k, chunkChannels * area * hw, (unit, dcol) -> {
            int n = unit / (g.groups() * chunks), group = unit / chunks % g.groups(), c0 = unit % chunks * chunkChannels;
            int cc = Math.min(chunkChannels, cg - c0), m = cc * area;
            k.fill(dcol, 0, m * hw, 0);
            k.gemm(m, hw, og, wd, w.offset + group * og * taps + c0 * area, 1, taps,
                    gd, gy.offset + (n * g.outChannels() + group * og) * hw, hw, 1, dcol, 0, hw);
            k.col2im(g.window(), dcol, 0, cc, xd, (n * g.channels() + group * cg + c0) * g.plane());
        });
        return dx;
    }

    static NDArray weightGrad(NDArray input, int[] weightShape, NDArray gradOutput, ConvParams p) {
        Geometry g = geometry("conv2dWeightGrad", input.shape, weightShape, p);
        checkGradOutput("conv2dWeightGrad", g, gradOutput);
        DType dtype = DType.promote(input.dtype, gradOutput.dtype);
        NDArray x = input.to(dtype).contiguous(), gy = gradOutput.to(dtype).contiguous();
        Window2d win = g.window();
        int cg = g.groupChannels(), og = g.groupOut(), taps = g.taps(), area = g.kernelArea(), hw = g.outPlane();
        int ow = win.outWidth(), numel = g.outChannels() * taps;
        // The partial sums, the row blocks and the samples taken together depend on the sizes alone, never
        // on the thread count. Small images are taken a few samples at a time, so that each dot product
        // runs over at least DOT_LENGTH positions before its lanes are summed; so few partial sums that
        // each holds that many positions, where the batch's positions are fewer than PARTIALS times that.
        int partials = (int) Math.clamp((long) g.batch() * hw / DOT_LENGTH, 1, Math.clamp(g.batch(), 1, PARTIALS));
        int rows = Math.clamp(COL_BUDGET / Math.max(1, taps * ow), 1, Math.max(1, win.outHeight()));
        int together = rows < win.outHeight() ? 1 : Math.clamp(DOT_LENGTH / Math.max(1, hw), 1, Math.max(1, ceilDiv(g.batch(), partials)));
        int width = together * rows * ow;
        int units0 = partials * g.groups(), threads = threads(g);
        int split = units0 >= threads ? 1 : Math.min(cg, ceilDiv(threads, Math.max(1, units0)));
        int chunkChannels = ceilDiv(Math.max(1, cg), split), chunks = ceilDiv(cg, chunkChannels);
        Kernels k = dtype.kernels();
        Object xd = x.data(), gd = gy.data();
        Object sums = k.allocate(partials * numel);
        DirectLayout layout = stride1(p) ? k.directLayout(win, cg, og) : null;
        if (layout != null && taps >= DIRECT_TAPS) {
            // No unfolding: the input padded and the gradient laid out across channels.
            int most = ceilDiv(g.batch(), partials);
            forEachUnit(units0 * chunks, threads, k, layout.weightScratch(cg, most), (unit, scratch) -> {
                int part = unit / (g.groups() * chunks), group = unit / chunks % g.groups(), c0 = unit % chunks * chunkChannels;
                int n0 = part * g.batch() / partials, n1 = (part + 1) * g.batch() / partials;
                k.weightGradDirect(layout, xd, x.offset + (n0 * g.channels() + group * cg) * g.plane(), g.channels() * g.plane(), cg,
                        gd, gy.offset + (n0 * g.outChannels() + group * og) * hw, g.outChannels() * hw, og, n1 - n0, c0 * area,
                        Math.min(cg, c0 + chunkChannels) * area, sums, part * numel + group * og * taps, scratch);
            });
            return sumPartials(k, dtype, weightShape, sums, partials, numel);
        }
        int colSize = chunkChannels * area * width;
        forEachUnit(units0 * chunks, threads, k, colSize + og * width, (unit, scratch) -> {
            int part = unit / (g.groups() * chunks), group = unit / chunks % g.groups(), c0 = unit % chunks * chunkChannels;
            int cc = Math.min(chunkChannels, cg - c0);
            int target = part * numel + group * og * taps + c0 * area;
            int end = (part + 1) * g.batch() / partials;
            for (int n0 = part * g.batch() / partials; n0 < end; n0 += together) {
                int n1 = Math.min(end, n0 + together);
                for (int from = 0; from < win.outHeight(); from += rows) {
                    int to = Math.min(win.outHeight(), from + rows), cols = (to - from) * ow, span = (n1 - n0) * cols;
                    // The unfolded inputs of the samples side by side, and their output gradients likewise.
                    for (int n = n0; n < n1; n++) {
                        k.im2col(win, xd, x.offset + (n * g.channels() + group * cg + c0) * g.plane(), cc, scratch,
                                (n - n0) * cols, span, from, to);
                        for (int o = 0; o < og; o++) {
                            k.copy(gd, gy.offset + (n * g.outChannels() + group * og + o) * hw + from * ow, 1, scratch,
                                    colSize + o * span + (n - n0) * cols, 1, cols);
                        }
                    }
                    k.rowDots(og, cc * area, span, scratch, colSize, span, scratch, 0, span, sums, target, taps);
                }
            }
        });
        return sumPartials(k, dtype, weightShape, sums, partials, numel);
    }

    /** The weight gradient: the partial sums added in order. */
    private static NDArray sumPartials(Kernels k, DType dtype, int[] weightShape, Object sums, int partials, int numel) {
        NDArray dw = NDArray.empty(dtype, weightShape);
        Object dwd = dw.data();
        for (int part = 0; part < partials; part++) {
            k.binary(BinaryOp.ADD, dwd, 0, 1, sums, part * numel, 1, dwd, 0, 1, numel);
        }
        return dw;
    }

    private static void checkGradOutput(String op, Geometry g, NDArray gradOutput) {
        if (!Arrays.equals(gradOutput.shape, g.outputShape())) {
            throw new IllegalArgumentException(op + ": gradient of shape " + Shape.format(gradOutput.shape)
                    + " does not match the output shape " + Shape.format(g.outputShape()) + " of input "
                    + Shape.format(g.inputShape()) + " and weight " + Shape.format(g.weightShape()));
        }
    }

    private static int threads(Geometry g) {
        return g.work() < PARALLEL_WORK ? 1 : Parallel.threads();
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** One unit of work, with the task's scratch array. */
    @FunctionalInterface
    interface Unit {
        void run(int unit, Object scratch);
    }

    /**
     * Runs units {@code 0 .. units-1} on up to {@code threads} tasks, each with one scratch array of
     * {@code scratch} elements that its units reuse. Which task runs a unit does not change its result.
     */
    static void forEachUnit(int units, int threads, Kernels k, int scratch, Unit body) {
        int tasks = Math.min(units, threads);
        Parallel.forEach(tasks, t -> {
            Object buffer = k.allocate(scratch);
            for (int u = t; u < units; u += tasks) {
                body.run(u, buffer);
            }
        });
    }
}
