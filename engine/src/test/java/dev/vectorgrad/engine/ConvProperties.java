package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

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
 * conv2d, its input and weight gradients and conv1d against the definition ({@link Ref#convTaps}) over
 * random configurations: batch, groups, channels (output channels around the kernels' panel of 4, and
 * around the vector lengths, which rows narrower than a vector run across),
 * odd and prime sizes and rows around the vector length, kernels, stride (1: the direct kernels; more:
 * im2col and the GEMM), padding (also more than the kernel spans, which the input gradient crops) and
 * dilation on each axis, inputs and weights contiguous, permuted, stepped or broadcast, both dtypes, 1 or
 * 2 threads. Each element may differ from the exact sum by {@code n} ulps of the sum of the magnitudes of
 * its terms, {@code n} the longest chain of additions (the GEMM's, then col2im's or the partial sums').
 * Large problems, split across threads, must give the same bits with 1 and 2 threads.
 */
class ConvProperties {

    record Config(DType dtype, int batch, int groups, int cg, int og, int h, int w, int kh, int kw, int[] stride,
                  int[] pad, int[] dil, EngineArbitraries.Layout lx, EngineArbitraries.Layout lw, int threads, long seed) {

        int[] inputShape() {
            return new int[] {batch, groups * cg, h, w};
        }

        int[] weightShape() {
            return new int[] {groups * og, cg, kh, kw};
        }

        ConvParams params() {
            return ConvParams.of(stride, pad, dil, groups);
        }

        /** The longest sum behind any element of the three results, plus the final roundings. */
        int additions() {
            return batch * h * w + groups * og * cg * kh * kw + 4;
        }

        @Override
        public String toString() {
            return dtype + " input " + Shape.format(inputShape()) + " (" + lx + "), weight " + Shape.format(weightShape())
                    + " (" + lw + "), stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(pad)
                    + ", dilation " + Arrays.toString(dil) + ", groups " + groups + ", " + threads + " thread(s)";
        }
    }

    /** Small sizes (1, primes, even), and now and then rows around one and two vectors of either dtype. */
    static Arbitrary<Integer> sizes() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.of(1, 2, 3, 5, 7, 8, 11)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(15, 16, 17, 33)));
    }

    /**
     * A few channels, and now and then one or two vectors of them (either dtype's), which narrow rows run
     * across: the direct kernel vectorises over output channels there.
     */
    static Arbitrary<Integer> channels(int few) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(1, few)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(8, 16, 17, 33)));
    }

    static Arbitrary<int[]> pairs(int min, int max) {
        return Arbitraries.integers().between(min, max).array(int[].class).ofSize(2);
    }

    @Provide
    Arbitrary<Config> configs() {
        // Batches above 8 make the weight gradient take several samples per partial sum, side by side.
        Arbitrary<Integer> batches = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(1, 3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(10, 17)));
        return Combinators.combine(EngineArbitraries.dtypes(), batches, Arbitraries.integers().between(1, 3),
                        channels(3), channels(6), Arbitraries.of(1, 2, 3, 5), sizes(),
                        pairs(1, 4))
                .flatAs((dtype, batch, groups, cg, og, h, w, kernel) -> Combinators.combine(pairs(1, 3), pairs(0, 2),
                                pairs(1, 2), Arbitraries.of(EngineArbitraries.Layout.values()),
                                Arbitraries.of(EngineArbitraries.Layout.values()), Arbitraries.of(1, 2), Arbitraries.longs())
                        .as((stride, pad, dil, lx, lw, threads, seed) -> {
                            // Grow the input until the dilated kernel fits in it with its padding.
                            int hh = Math.max(h, dil[0] * (kernel[0] - 1) + 1 - 2 * pad[0]);
                            int ww = Math.max(w, dil[1] * (kernel[1] - 1) + 1 - 2 * pad[1]);
                            return new Config(dtype, batch, groups, cg, og, hh, ww, kernel[0], kernel[1], stride, pad, dil,
                                    lx, lw, threads, seed);
                        }));
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Property(tries = 150)
    void forwardAndBothGradientsMatchTheDefinition(@ForAll("configs") Config c) {
        Parallel.setThreads(c.threads());
        Generator g = new Generator(c.seed());
        Sample x = EngineArbitraries.sample(c.lx(), c.dtype(), c.inputShape(), g);
        Sample w = EngineArbitraries.sample(c.lw(), c.dtype(), c.weightShape(), g);
        ConvParams p = c.params();
        NDArray y = x.array().conv2d(w.array(), p);
        Ref[] expected = Ref.conv2d(x.ref(), w.ref(), c.stride(), c.pad(), c.dil(), c.groups());
        assertWithin(y, expected, c, "conv2d");
        Sample gy = EngineArbitraries.sample(c.lx(), c.dtype(), y.shape(), g);
        assertWithin(NDArray.conv2dInputGrad(c.inputShape(), w.array(), gy.array(), p),
                Ref.conv2dInputGrad(c.inputShape(), w.ref(), gy.ref(), c.stride(), c.pad(), c.dil(), c.groups()), c, "conv2dInputGrad");
        assertWithin(NDArray.conv2dWeightGrad(x.array(), c.weightShape(), gy.array(), p),
                Ref.conv2dWeightGrad(x.ref(), c.weightShape(), gy.ref(), c.stride(), c.pad(), c.dil(), c.groups()), c, "conv2dWeightGrad");
    }

    /**
     * "Same" convolutions (stride 1, odd kernels, padding half the dilated kernel) of rows 8, 16 or 32
     * wide: output rows a whole number of vectors, which the direct kernel stores straight to the output.
     */
    @Provide
    Arbitrary<Config> same() {
        return Combinators.combine(EngineArbitraries.dtypes(), Arbitraries.of(1, 2, 10), Arbitraries.integers().between(1, 2),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 6), Arbitraries.of(8, 16, 32),
                        Arbitraries.of(1, 3, 5), Arbitraries.longs())
                .as((dtype, batch, groups, cg, og, w, k, seed) -> {
                    int dil = seed % 3 == 0 ? 2 : 1, pad = dil * (k - 1) / 2;
                    return new Config(dtype, batch, groups, cg, og, 1 + (int) Math.floorMod(seed, 4), w, k, k, new int[] {1, 1},
                            new int[] {pad, pad}, new int[] {dil, dil}, EngineArbitraries.Layout.CONTIGUOUS,
                            EngineArbitraries.Layout.CONTIGUOUS, 1 + (int) Math.floorMod(seed >> 8, 2), seed);
                });
    }

    @Property(tries = 40)
    void sameConvolutionsOfWholeVectorRows(@ForAll("same") Config c) {
        forwardAndBothGradientsMatchTheDefinition(c);
    }

    /**
     * Stride-1 convolutions whose output (forward) and input gradient both hold at least 2^18 elements, on two
     * threads: large enough that the first task allocates each while the other computes its first units into
     * staging space and copies them over after. Rows of 61 are compacted through scratch, rows of 64 are not.
     */
    @Provide
    Arbitrary<Config> largeOutputs() {
        return Combinators.combine(EngineArbitraries.dtypes(), Arbitraries.integers().between(2, 4), Arbitraries.of(1, 2),
                        Arbitraries.of(61, 64), Arbitraries.longs())
                .as((dtype, batch, groups, w, seed) -> {
                    int h = ((1 << 18) + batch * 4 * w - 1) / (batch * 4 * w);
                    return new Config(dtype, batch, groups, 4 / groups, 4 / groups, h, w, 3, 3, new int[] {1, 1},
                            new int[] {1, 1}, new int[] {1, 1}, EngineArbitraries.Layout.CONTIGUOUS,
                            EngineArbitraries.Layout.CONTIGUOUS, 2, seed);
                });
    }

    @Property(tries = 4)
    void largeOutputsAllocatedBesideTheWorkMatchTheDefinition(@ForAll("largeOutputs") Config c) {
        forwardAndBothGradientsMatchTheDefinition(c);
    }

    /**
     * Weight gradients without unfolding (stride 1, 36 taps) whose partial sums take different numbers of
     * samples (9 or 17 samples of 24x24 in eight partial sums), one after the other in the same scratch space:
     * the padding a call leaves must be where the next call expects zeros.
     */
    @Provide
    Arbitrary<Config> unevenPartials() {
        return Combinators.combine(EngineArbitraries.dtypes(), Arbitraries.of(9, 17), Arbitraries.integers().between(1, 5),
                        Arbitraries.of(1, 2), Arbitraries.longs())
                .as((dtype, batch, og, threads, seed) -> new Config(dtype, batch, 1, 4, og, 24, 24, 3, 3, new int[] {1, 1},
                        new int[] {1, 1}, new int[] {1, 1}, EngineArbitraries.Layout.CONTIGUOUS, EngineArbitraries.Layout.CONTIGUOUS,
                        threads, seed));
    }

    @Property(tries = 4)
    void weightGradientsOfUnevenPartialSumsMatchTheDefinition(@ForAll("unevenPartials") Config c) {
        forwardAndBothGradientsMatchTheDefinition(c);
    }

    /** {@code |actual - exact| <= ulps(additions) * sum of |terms|}, element by element. */
    static void assertWithin(NDArray actual, Ref[] exactAndMagnitude, Config c, String op) {
        Ref exact = exactAndMagnitude[0], magnitude = exactAndMagnitude[1];
        assertArrayEquals(exact.shape(), actual.shape(), () -> op + " shape, " + c);
        double ulp = Close.ulps(actual.dtype(), c.additions());
        double[] got = actual.toDoubleArray();
        for (int k = 0; k < got.length; k++) {
            if (!(Math.abs(got[k] - exact.data()[k]) <= ulp * magnitude.data()[k])) {
                fail(op + " " + c + ": element " + Arrays.toString(Ref.unravel(k, exact.shape())) + " is " + got[k]
                        + ", expected " + exact.data()[k] + " within " + ulp * magnitude.data()[k]);
            }
        }
    }

    @Property(tries = 40)
    void conv1dIsConv2dOverAHeightOfOne(@ForAll("configs") Config c) {
        Generator g = new Generator(c.seed());
        Sample x = EngineArbitraries.sample(c.lx(), c.dtype(), new int[] {c.batch(), c.groups() * c.cg(), c.w()}, g);
        Sample w = EngineArbitraries.sample(c.lw(), c.dtype(), new int[] {c.groups() * c.og(), c.cg(), c.kw()}, g);
        NDArray y = x.array().conv1d(w.array(), c.stride()[1], c.pad()[1], c.dil()[1], c.groups());
        Ref x4 = new Ref(x.ref().data(), new int[] {c.batch(), c.groups() * c.cg(), 1, c.w()});
        Ref w4 = new Ref(w.ref().data(), new int[] {c.groups() * c.og(), c.cg(), 1, c.kw()});
        Ref[] e = Ref.conv2d(x4, w4, new int[] {1, c.stride()[1]}, new int[] {0, c.pad()[1]}, new int[] {1, c.dil()[1]}, c.groups());
        int[] shape = {e[0].shape()[0], e[0].shape()[1], e[0].shape()[3]};
        assertWithin(y, new Ref[] {new Ref(e[0].data(), shape), new Ref(e[1].data(), shape)}, c, "conv1d");
    }

    /** Problems large enough to be split across threads (by sample, group, rows, channels or partial sums). */
    @Provide
    Arbitrary<Config> large() {
        return Combinators.combine(Arbitraries.integers().between(1, 9), Arbitraries.of(1, 2), Arbitraries.integers().between(9, 24),
                        Arbitraries.integers().between(9, 30), Arbitraries.of(1, 2), Arbitraries.of(0, 1), Arbitraries.longs())
                .as((batch, groups, h, og, stride, pad, seed) -> new Config(DType.FLOAT32, batch, groups, 8 / groups, og, h, h + 3,
                        3, 3, new int[] {stride, stride}, new int[] {pad, pad}, new int[] {1, 1}, EngineArbitraries.Layout.CONTIGUOUS,
                        EngineArbitraries.Layout.CONTIGUOUS, 2, seed));
    }

    @Property(tries = 12)
    void oneAndTwoThreadsGiveTheSameBits(@ForAll("large") Config c) {
        Generator g = new Generator(c.seed());
        NDArray x = NDArray.randn(g, c.inputShape()), w = NDArray.randn(g, c.weightShape());
        ConvParams p = c.params();
        NDArray gy = NDArray.randn(g, x.conv2d(w, p).shape());
        float[][] one = run(1, x, w, gy, p), two = run(2, x, w, gy, p);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(one[i], two[i], "result " + i + " of " + c);
        }
    }

    /**
     * Planes narrower than a vector, run across channels: the digits CNN's second layer (split by sample) and
     * one sample of many channels (split by channels, for the weight gradient by input channels).
     */
    @Property(tries = 3)
    void oneAndTwoThreadsGiveTheSameBitsOnSmallPlanes(@ForAll long seed) {
        Generator g = new Generator(seed);
        int[][] shapes = {{64, 16, 4, 4}, {32, 16, 3, 3}, {1, 64, 6, 5}, {72, 64, 3, 3}};
        for (int c = 0; c < shapes.length; c += 2) {
            NDArray x = NDArray.randn(g, shapes[c]), w = NDArray.randn(g, shapes[c + 1]);
            ConvParams p = ConvParams.of(1, 1);
            NDArray gy = NDArray.randn(g, x.conv2d(w, p).shape());
            float[][] one = run(1, x, w, gy, p), two = run(2, x, w, gy, p);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(one[i], two[i], "result " + i + " of input " + Shape.format(shapes[c]));
            }
        }
    }

    /** {forward, input gradient, weight gradient} with the given thread count. */
    private static float[][] run(int threads, NDArray x, NDArray w, NDArray gy, ConvParams p) {
        Parallel.setThreads(threads);
        return new float[][] {x.conv2d(w, p).toFloatArray(), NDArray.conv2dInputGrad(x.shape(), w, gy, p).toFloatArray(),
            NDArray.conv2dWeightGrad(x, w.shape(), gy, p).toFloatArray()};
    }

    @Test
    void mixedDtypesPromoteAndEmptyBatchesOrChannelsGiveEmptyOrZeroOutputs() {
        NDArray x = NDArray.ones(DType.FLOAT32, 1, 2, 4, 4), w = NDArray.ones(DType.FLOAT64, 3, 2, 3, 3);
        NDArray y = x.conv2d(w, 1, 1);
        assertEquals(DType.FLOAT64, y.dtype());
        assertArrayEquals(new int[] {1, 3, 4, 4}, y.shape());
        assertEquals(18, y.get(0, 0, 1, 1));
        assertEquals(8, y.get(0, 0, 0, 0), "a corner sees 2x2 inputs of each channel");
        assertArrayEquals(new int[] {0, 3, 2, 2}, NDArray.zeros(0, 2, 4, 4).conv2d(w).shape());
        assertArrayEquals(new double[18 * 3], NDArray.conv2dWeightGrad(NDArray.zeros(0, 2, 4, 4), w.shape(),
                NDArray.zeros(0, 3, 2, 2), ConvParams.DEFAULT).toDoubleArray());
        for (ConvParams p : new ConvParams[] {ConvParams.DEFAULT, ConvParams.of(2, 0)}) {
            int side = (4 - 2) / p.strideH() + 1;
            assertArrayEquals(new int[] {1, 0, side, side}, x.conv2d(NDArray.zeros(0, 2, 2, 2), p).shape(), "no output channels");
            NDArray none = NDArray.zeros(1, 0, 5, 5).conv2d(NDArray.zeros(3, 0, 3, 3), p);
            assertArrayEquals(new double[none.numel()], none.toDoubleArray(), "no input channels: zeros");
            assertArrayEquals(new int[] {1, 0, 5, 5}, NDArray.conv2dInputGrad(new int[] {1, 0, 5, 5}, NDArray.zeros(3, 0, 3, 3),
                    none, p).shape());
        }
    }

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void misuseNamesTheOpAndTheShapes() {
        NDArray x = NDArray.zeros(2, 4, 5, 5);
        assertAll(
                rejects("conv2d: input must be 4-D [batch, channels, height, width], got [4, 5, 5]",
                        () -> NDArray.zeros(4, 5, 5).conv2d(NDArray.zeros(2, 4, 3, 3))),
                rejects("conv2d: weight must be 4-D [out channels, in channels / groups, kernel height, kernel width], got [2, 4, 3]",
                        () -> x.conv2d(NDArray.zeros(2, 4, 3))),
                rejects("conv2d: input [2, 4, 5, 5] has 4 channels, but weight [2, 3, 3, 3] with 1 group(s) expects 3",
                        () -> x.conv2d(NDArray.zeros(2, 3, 3, 3))),
                rejects("conv2d: weight [3, 2, 3, 3] has 3 output channels, which 2 groups do not divide",
                        () -> x.conv2d(NDArray.zeros(3, 2, 3, 3), ConvParams.of(1, 0, 1, 2))),
                rejects("conv2d: kernel 7x3 (spanning 7x3 with dilation) is larger than the padded input 5x5 (input [2, 4, 5, 5], padding [0, 0])",
                        () -> x.conv2d(NDArray.zeros(2, 4, 7, 3))),
                rejects("conv2d: kernel 3x3 (spanning 7x7 with dilation) is larger than the padded input 5x5 (input [2, 4, 5, 5], padding [0, 0])",
                        () -> x.conv2d(NDArray.zeros(2, 4, 3, 3), new int[] {1}, new int[] {0}, new int[] {3}, 1)),
                rejects("conv2d: weight [2, 4, 0, 3] has an empty kernel", () -> x.conv2d(NDArray.zeros(2, 4, 0, 3))),
                rejects("ConvParams: stride must be at least 1, got [0, 1]", () -> ConvParams.of(new int[] {0, 1}, new int[] {0}, new int[] {1}, 1)),
                rejects("ConvParams: padding must be at least 0, got [-1, -1]", () -> ConvParams.of(1, -1)),
                rejects("ConvParams: groups must be at least 1, got 0", () -> ConvParams.of(1, 0, 1, 0)),
                rejects("ConvParams: dilation needs one value or two (height, width), got [1, 2, 3]",
                        () -> ConvParams.of(new int[] {1}, new int[] {0}, new int[] {1, 2, 3}, 1)),
                rejects("conv2dInputGrad: gradient of shape [2, 2, 5, 5] does not match the output shape [2, 2, 3, 3] of input [2, 4, 5, 5] and weight [2, 4, 3, 3]",
                        () -> NDArray.conv2dInputGrad(x.shape(), NDArray.zeros(2, 4, 3, 3), NDArray.zeros(2, 2, 5, 5), ConvParams.DEFAULT)),
                rejects("conv2dWeightGrad: gradient of shape [2, 2, 4, 4] does not match the output shape [2, 2, 3, 3] of input [2, 4, 5, 5] and weight [2, 4, 3, 3]",
                        () -> NDArray.conv2dWeightGrad(x, new int[] {2, 4, 3, 3}, NDArray.zeros(2, 2, 4, 4), ConvParams.DEFAULT)),
                rejects("conv1d: input must be 3-D [batch, channels, length] and weight 3-D [out channels, in channels / groups, kernel], got [2, 4, 5, 5] and [2, 4, 3]",
                        () -> x.conv1d(NDArray.zeros(2, 4, 3))),
                rejects("conv2d: input [2, 4, 1, 5] has 4 channels, but weight [2, 2, 1, 3] with 1 group(s) expects 2",
                        () -> NDArray.zeros(2, 4, 5).conv1d(NDArray.zeros(2, 2, 3))));
    }
}
