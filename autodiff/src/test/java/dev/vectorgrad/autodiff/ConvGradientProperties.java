package dev.vectorgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.autodiff.testing.TensorArbitraries;
import dev.vectorgrad.autodiff.testing.TensorArbitraries.Layout;
import dev.vectorgrad.engine.ConvParams;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.PoolParams;
import java.util.Arrays;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * conv2d, conv1d, max and average pooling pass GradCheck and gradGradCheck (FLOAT64, PyTorch's default
 * tolerances) over random small configurations: batch, groups, channels, odd sizes, kernels, stride,
 * padding and dilation per axis, inputs and weights contiguous, transposed or strided. gradGradCheck of
 * conv2d differentiates the input and weight gradients, which are recorded ops themselves.
 */
class ConvGradientProperties {

    record Config(int batch, int groups, int cg, int og, int h, int w, int[] kernel, int[] stride, int[] pad, int[] dil,
                  Layout lx, Layout lw, long seed) {

        ConvParams params() {
            return ConvParams.of(stride, pad, dil, groups);
        }

        Tensor input() {
            return leaf(new int[] {batch, groups * cg, h, w}, lx, seed);
        }

        Tensor weight() {
            return leaf(new int[] {groups * og, cg, kernel[0], kernel[1]}, lw, seed + 1);
        }

        @Override
        public String toString() {
            return "input [" + batch + ", " + groups * cg + ", " + h + ", " + w + "] (" + lx + "), kernel "
                    + Arrays.toString(kernel) + " (" + lw + "), " + groups * og + " out, stride " + Arrays.toString(stride)
                    + ", padding " + Arrays.toString(pad) + ", dilation " + Arrays.toString(dil) + ", groups " + groups;
        }
    }

    static Tensor leaf(int[] shape, Layout layout, long seed) {
        return Tensor.of(TensorArbitraries.array(shape, DType.FLOAT64, layout, new Generator(seed))).requiresGrad(true);
    }

    static Arbitrary<int[]> pairs(int min, int max) {
        return Arbitraries.integers().between(min, max).array(int[].class).ofSize(2);
    }

    @Provide
    Arbitrary<Config> configs() {
        return Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 2),
                        Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 2), Arbitraries.of(1, 2, 3, 5),
                        Arbitraries.of(1, 2, 3, 5), pairs(1, 3), pairs(1, 2))
                .flatAs((batch, groups, cg, og, h, w, kernel, stride) -> Combinators.combine(pairs(0, 1), pairs(1, 2),
                                Arbitraries.of(Layout.values()), Arbitraries.of(Layout.values()), Arbitraries.longs())
                        .as((pad, dil, lx, lw, seed) -> new Config(batch, groups, cg, og,
                                Math.max(h, dil[0] * (kernel[0] - 1) + 1 - 2 * pad[0]),
                                Math.max(w, dil[1] * (kernel[1] - 1) + 1 - 2 * pad[1]), kernel, stride, pad, dil, lx, lw, seed)));
    }

    @Property(tries = 40)
    void conv2dHasTheRightFirstAndSecondDerivatives(@ForAll("configs") Config c) {
        Function<Tensor[], Tensor> f = in -> in[0].conv2d(in[1], c.params());
        Tensor x = c.input(), w = c.weight();
        GradCheck.check(f, x, w);
        GradCheck.gradGradCheck(f, x, w);
    }

    @Property(tries = 15)
    void conv1dHasTheRightFirstAndSecondDerivatives(@ForAll("configs") Config c) {
        Tensor x = leaf(new int[] {c.batch(), c.groups() * c.cg(), c.w()}, c.lx(), c.seed());
        Tensor w = leaf(new int[] {c.groups() * c.og(), c.cg(), c.kernel()[1]}, c.lw(), c.seed() + 1);
        Function<Tensor[], Tensor> f = in -> in[0].conv1d(in[1], c.stride()[1], c.pad()[1], c.dil()[1], c.groups());
        GradCheck.check(f, x, w);
        GradCheck.gradGradCheck(f, x, w);
    }

    /** Distinct inputs, at least 0.01 apart, so that central differences never reorder a window. */
    static Tensor distinct(int[] shape, Layout layout, long seed) {
        Generator g = new Generator(seed);
        NDArray noise = TensorArbitraries.array(shape, DType.FLOAT64, layout, g);
        int n = noise.numel();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2) * 0.01;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        // Keep the drawn layout: write the values through the view.
        return Tensor.of(noise.copyFrom(NDArray.of(v, shape))).requiresGrad(true);
    }

    @Property(tries = 30)
    void poolingHasTheRightFirstAndSecondDerivatives(@ForAll("configs") Config c, @ForAll boolean ceil, @ForAll boolean countIncludePad) {
        int[] kernel = {c.kernel()[0] + 1, c.kernel()[1]};
        int[] pad = {Math.min(c.pad()[0], kernel[0] / 2), Math.min(c.pad()[1], kernel[1] / 2)};
        int[] shape = {c.batch(), c.cg(), Math.max(c.h(), kernel[0] * c.dil()[0]), Math.max(c.w(), kernel[1] * c.dil()[1])};
        PoolParams max = PoolParams.of(kernel, c.stride(), pad, c.dil(), ceil);
        Tensor x = distinct(shape, c.lx(), c.seed());
        GradCheck.check(in -> in[0].maxPool2d(max), x);
        GradCheck.gradGradCheck(in -> in[0].maxPool2d(max), x);
        PoolParams avg = PoolParams.of(kernel, c.stride(), pad, new int[] {1}, ceil);
        GradCheck.check(in -> in[0].avgPool2d(avg, countIncludePad), x);
        GradCheck.gradGradCheck(in -> in[0].avgPool2d(avg, countIncludePad), x);
    }

    @Test
    void theGradientsOfConvAreRecordedConvolutions() {
        Tensor x = Tensor.randn(new Generator(3), DType.FLOAT64, 2, 2, 5, 5).requiresGrad(true);
        Tensor w = Tensor.randn(new Generator(4), DType.FLOAT64, 3, 2, 3, 3).requiresGrad(true);
        ConvParams p = ConvParams.of(2, 1);
        Tensor y = x.conv2d(w, p);
        Tensor[] grads = Autograd.grad(new Tensor[] {y}, new Tensor[] {x, w}, new Tensor[] {Tensor.ones(DType.FLOAT64, y.shape())}, true, false);
        assertEquals("conv2dInputGrad", grads[0].node().op);
        assertEquals("conv2dWeightGrad", grads[1].node().op);
        assertArrayEquals(NDArray.conv2dInputGrad(x.shape(), w.value(), NDArray.ones(DType.FLOAT64, y.shape()), p).toDoubleArray(),
                grads[0].value().toDoubleArray());
    }

    @Test
    void conv1dRejectsTheWrongRankByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(DType.FLOAT64, 2, 3, 4, 4).conv1d(Tensor.zeros(DType.FLOAT64, 2, 3, 3), 1, 0, 1, 1));
        assertEquals("conv1d: input must be 3-D [batch, channels, length] and weight 3-D [out channels, in channels / groups,"
                + " kernel], got [2, 3, 4, 4] and [2, 3, 3]", e.getMessage());
    }
}
