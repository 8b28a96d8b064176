package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Max and average pooling and their gradients against the definitions in {@link Ref} over random
 * kernels, strides, padding, dilation and ceil mode on each axis, odd sizes (and rows wide enough for
 * the vectorised pooling of the columns away from the borders, or enough small planes for the pooling
 * that runs across plane boundaries), every layout and both dtypes. Max pooling must be exact, indices included, also with ties, -Inf and NaN in the input;
 * sums (average pooling, and both gradients where windows overlap) may be off by a few ulps per term
 * of the window. A configuration in which some window would hold only padding must be rejected.
 */
class PoolProperties {

    record Config(DType dtype, int batch, int channels, int h, int w, int[] kernel, int[] stride, int[] pad, int[] dil,
                  boolean ceil, boolean countIncludePad, boolean specials, EngineArbitraries.Layout layout, int threads,
                  long seed) {

        int[] inputShape() {
            return new int[] {batch, channels, h, w};
        }

        PoolParams params() {
            return PoolParams.of(kernel, stride, pad, dil, ceil);
        }

        @Override
        public String toString() {
            return dtype + " input " + Shape.format(inputShape()) + " (" + (specials ? "ties and specials" : layout)
                    + "), kernel " + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride) + ", padding "
                    + Arrays.toString(pad) + ", dilation " + Arrays.toString(dil) + (ceil ? ", ceil mode" : "") + ", "
                    + threads + " thread(s)";
        }

        /** The input: normal values in the drawn layout, or (contiguous) small whole numbers with -Inf and NaN among them. */
        Sample input() {
            Generator g = new Generator(seed);
            if (!specials) {
                return EngineArbitraries.sample(layout, dtype, inputShape(), g);
            }
            double[] v = new double[Ref.numel(inputShape())];
            double[] pool = {-1, 0, 1, 2, Double.NEGATIVE_INFINITY, Double.NaN};
            Arrays.setAll(v, i -> pool[g.nextInt(g.nextInt(4) == 0 ? pool.length : 4)]);
            return new Sample(NDArray.of(v, inputShape()).to(dtype), new Ref(v, inputShape()), "specials");
        }
    }

    static Arbitrary<int[]> pairs(int min, int max) {
        return Arbitraries.integers().between(min, max).array(int[].class).ofSize(2);
    }

    /** Small widths, and now and then wide enough for one or more vectors of outputs at strides up to 3. */
    static Arbitrary<Integer> widths() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.of(1, 2, 3, 5, 7, 8, 11)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(17, 33, 53, 101)));
    }

    /** A few channels, and now and then enough for small planes to fill vectors across plane boundaries. */
    static Arbitrary<Integer> channels() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(4, 13)));
    }

    @Provide
    Arbitrary<Config> configs() {
        return Combinators.combine(EngineArbitraries.dtypes(), Arbitraries.integers().between(1, 2), channels(),
                        Arbitraries.of(1, 2, 3, 5, 7, 8, 11), widths(), pairs(1, 4),
                        Arbitraries.of(false, true), Arbitraries.of(false, true))
                .flatAs((dtype, batch, channels, h, w, kernel, ceil, cip) -> Combinators.combine(
                                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(new int[0])),
                                        net.jqwik.api.Tuple.of(3, pairs(1, 3))),
                                pairs(0, 2), pairs(1, 2), Arbitraries.of(EngineArbitraries.Layout.values()),
                                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just(false)),
                                        net.jqwik.api.Tuple.of(1, Arbitraries.just(true))),
                                Arbitraries.of(1, 2), Arbitraries.longs())
                        .as((stride, pad, dil, layout, specials, threads, seed) -> {
                            int[] p = {Math.min(pad[0], kernel[0] / 2), Math.min(pad[1], kernel[1] / 2)};
                            int hh = Math.max(h, dil[0] * (kernel[0] - 1) + 1 - 2 * p[0]);
                            int ww = Math.max(w, dil[1] * (kernel[1] - 1) + 1 - 2 * p[1]);
                            return new Config(dtype, batch, channels, hh, ww, kernel, stride, p, dil, ceil, cip, specials,
                                    layout, threads, seed);
                        }));
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Property(tries = 250)
    void maxPoolingPicksTheFirstLargestOrRejectsAnEmptyWindow(@ForAll("configs") Config c) {
        Parallel.setThreads(c.threads());
        Sample x = c.input();
        int[] stride = c.stride().length == 0 ? c.kernel() : c.stride();
        Ref[] expected = Ref.maxPool2d(x.ref(), c.kernel(), stride, c.pad(), c.dil(), c.ceil());
        if (Arrays.stream(expected[1].data()).anyMatch(i -> i < 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.array().maxPool2d(c.params()), c::toString);
            assertEquals(true, e.getMessage().endsWith("some window would hold no input"), e.getMessage());
            return;
        }
        NDArray[] got = x.array().maxPool2dWithIndices(c.params());
        Close.assertSame(got[0], expected[0], "maxPool2d values, " + c);
        Close.assertSame(got[1], expected[1], "maxPool2d indices, " + c);
        Sample gy = EngineArbitraries.sample(c.layout(), c.dtype(), got[0].shape(), new Generator(c.seed() + 1));
        // An input that is the maximum of several windows sums their gradients: as many roundings.
        double tol = Close.ulps(c.dtype(), 4 * c.kernel()[0] * c.kernel()[1] + 4);
        Close.assertClose(NDArray.maxPool2dBackward(gy.array(), got[1], c.inputShape()),
                Ref.maxPool2dBackward(gy.ref(), expected[1], c.inputShape()), tol, tol, "maxPool2dBackward, " + c);
    }

    @Property(tries = 200)
    void averagePoolingDividesByTheWindowAsPyTorchDoes(@ForAll("configs") Config c) {
        Parallel.setThreads(c.threads());
        Config a = new Config(c.dtype(), c.batch(), c.channels(), c.h(), c.w(), c.kernel(), c.stride(), c.pad(), new int[] {1, 1},
                c.ceil(), c.countIncludePad(), false, c.layout(), c.threads(), c.seed());
        Sample x = a.input();
        int[] stride = a.stride().length == 0 ? a.kernel() : a.stride();
        Ref expected = Ref.avgPool2d(x.ref(), a.kernel(), stride, a.pad(), a.ceil(), a.countIncludePad());
        NDArray y = x.array().avgPool2d(a.params(), a.countIncludePad());
        double tol = Close.ulps(a.dtype(), a.kernel()[0] * a.kernel()[1] + 2) * 8;
        Close.assertClose(y, expected, tol, tol, "avgPool2d, " + a);
        Sample gy = EngineArbitraries.sample(a.layout(), a.dtype(), y.shape(), new Generator(a.seed() + 1));
        Close.assertClose(NDArray.avgPool2dBackward(gy.array(), a.inputShape(), a.params(), a.countIncludePad()),
                Ref.avgPool2dBackward(gy.ref(), a.inputShape(), a.kernel(), stride, a.pad(), a.countIncludePad()), tol, tol,
                "avgPool2dBackward, " + a);
    }

    /** Large planes with clipped windows, and many small planes (7x7 to 3x3, run across plane boundaries). */
    @Property(tries = 10)
    void oneAndTwoThreadsGiveTheSameBits(@ForAll long seed) {
        NDArray[] inputs = {NDArray.randn(new Generator(seed), 3, 16, 33, 31), NDArray.randn(new Generator(seed), 16, 520, 7, 7)};
        PoolParams[] params = {PoolParams.of(3, 2, 1), PoolParams.of(2)};
        for (int c = 0; c < inputs.length; c++) {
            float[][] one = run(1, inputs[c], params[c]), two = run(2, inputs[c], params[c]);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], two[i], "case " + c + ", result " + i);
            }
        }
    }

    private static float[][] run(int threads, NDArray x, PoolParams p) {
        Parallel.setThreads(threads);
        NDArray[] max = x.maxPool2dWithIndices(p);
        NDArray avg = x.avgPool2d(p, false);
        return new float[][] {max[0].toFloatArray(), max[1].toFloatArray(),
            NDArray.maxPool2dBackward(max[0], max[1], x.shape()).toFloatArray(), avg.toFloatArray(),
            NDArray.avgPool2dBackward(avg, x.shape(), p, false).toFloatArray()};
    }

    /** Values from PyTorch 1.13 on x = arange(35) with alternating signs, [1, 1, 5, 7] (see each call). */
    @Test
    void ceilModeMatchesPyTorch() {
        double[] v = new double[35];
        Arrays.setAll(v, i -> i % 2 == 0 ? i : -i);
        NDArray x = NDArray.of(v, 1, 1, 5, 7);
        // F.max_pool2d(x, (2, 3), (2, 2), (1, 1), (1, 2), ceil_mode=True, return_indices=True)
        NDArray[] max = x.maxPool2dWithIndices(PoolParams.of(new int[] {2, 3}, new int[] {2}, new int[] {1}, new int[] {1, 2}, true));
        assertArrayEquals(new double[] {-1, -1, -3, 10, 12, 12, 24, 26, 26}, max[0].toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 3, 10, 12, 12, 24, 26, 26}, max[1].toDoubleArray());
        // F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=True), then False
        assertArrayEquals(new double[] {0, 7 / 9., 7 / 9., 0, 1 / 9., 16 / 9., 2, -1 / 9., 0, -7 / 9., -7 / 9., 0},
                x.avgPool2d(PoolParams.of(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true), true).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0, 7 / 6., 7 / 6., 0, 1 / 6., 16 / 9., 2, -1 / 6., 0, -7 / 6., -7 / 6., 0},
                x.avgPool2d(PoolParams.of(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true), false).toDoubleArray(), 1e-15);
        // F.avg_pool2d(x, 2, 3, 1, ceil_mode=True).shape and F.max_pool2d(zeros(1, 1, 6, 6), 3, 2, 1, ceil_mode=True).shape
        assertArrayEquals(new int[] {1, 1, 2, 3}, x.avgPool2d(PoolParams.of(new int[] {2}, new int[] {3}, new int[] {1}, new int[] {1}, true), true).shape());
        assertArrayEquals(new int[] {1, 1, 4, 4}, NDArray.zeros(1, 1, 6, 6).maxPool2d(new PoolParams(3, 3, 2, 2, 1, 1, 1, 1, true)).shape());
    }

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void misuseNamesTheOpAndTheShapes() {
        NDArray x = NDArray.zeros(2, 3, 4, 4);
        assertAll(
                rejects("maxPool2d: input must be 4-D [batch, channels, height, width], got [3, 4, 4]", () -> NDArray.zeros(3, 4, 4).maxPool2d(2)),
                rejects("avgPool2d: input [2, 3, 4, 4] is too small for kernel [5, 5] with stride [5, 5], padding [0, 0] and dilation [1, 1]: "
                        + "some window would hold no input", () -> x.avgPool2d(5)),
                rejects("maxPool2d: input [2, 3, 4, 4] is too small for kernel [2, 2] with stride [1, 1], padding [1, 1] and dilation [5, 5]: "
                        + "some window would hold no input", () -> x.maxPool2d(new PoolParams(2, 2, 1, 1, 1, 1, 5, 5, false))),
                rejects("avgPool2d: average pooling has no dilation, got [2, 1]", () -> x.avgPool2d(new PoolParams(2, 2, 2, 2, 0, 0, 2, 1, false), true)),
                rejects("PoolParams: padding [2, 0] must be at most half the kernel [3, 3]", () -> new PoolParams(3, 3, 1, 1, 2, 0, 1, 1, false)),
                rejects("PoolParams: kernel must be at least 1, got [0, 2]", () -> PoolParams.of(new int[] {0, 2}, new int[0], new int[] {0}, new int[] {1}, false)),
                rejects("PoolParams: stride needs one value or two (height, width), got [1, 1, 1]",
                        () -> PoolParams.of(new int[] {2}, new int[] {1, 1, 1}, new int[] {0}, new int[] {1}, false)),
                rejects("maxPool2dBackward: gradient [2, 3, 2, 2] and indices [2, 3, 2, 1] must have one shape [N, C, outH, outW] matching the input [2, 3, 4, 4] in N and C",
                        () -> NDArray.maxPool2dBackward(NDArray.zeros(2, 3, 2, 2), NDArray.zeros(2, 3, 2, 1), x.shape())),
                rejects("maxPool2dBackward: indices must lie in [0, 16) for input planes of shape [2, 3, 4, 4], got values in [0.0, 16.0]",
                        () -> NDArray.maxPool2dBackward(NDArray.zeros(2, 3, 2, 2), NDArray.zeros(2, 3, 2, 2).add(NDArray.of(new float[] {0, 16}, 2)), x.shape())),
                rejects("avgPool2dBackward: gradient of shape [2, 3, 3, 3] does not match the output shape [2, 3, 2, 2] of input [2, 3, 4, 4]",
                        () -> NDArray.avgPool2dBackward(NDArray.zeros(2, 3, 3, 3), x.shape(), PoolParams.of(2), true)));
    }
}
