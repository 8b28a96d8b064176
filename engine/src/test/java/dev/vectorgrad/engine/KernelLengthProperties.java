package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The kernels' vector body and scalar tail: 1-D runs whose lengths straddle multiples of the vector
 * length (up to 8 vectors unrolled in the sum), starting at an offset so loads are misaligned.
 */
class KernelLengthProperties {

    record Run(DType dtype, int length, int offset, long seed) {
        @Override
        public String toString() {
            return dtype + " length " + length + " at offset " + offset;
        }

        Sample sample(Generator g) {
            double[] values = new double[offset + length];
            Arrays.setAll(values, i -> EngineArbitraries.round(dtype, g.nextGaussian()));
            NDArray base = NDArray.of(values, values.length).to(dtype);
            return new Sample(base.slice(0, offset, offset + length),
                    new Ref(Arrays.copyOfRange(values, offset, offset + length), new int[] {length}), "offset " + offset);
        }
    }

    @Provide
    Arbitrary<Run> runs() {
        return Combinators.combine(EngineArbitraries.dtypes(),
                        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0, 140)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1000, 1100))),
                        Arbitraries.integers().between(0, 3), Arbitraries.longs())
                .as(Run::new);
    }

    @Property(tries = 300)
    void elementwiseAndInPlace(@ForAll("runs") Run r) {
        Generator g = new Generator(r.seed());
        Sample a = r.sample(g), b = r.sample(g);
        DType t = r.dtype();
        Close.assertClose(a.array().add(b.array()), a.ref().zip(b.ref(), Double::sum).map(x -> EngineArbitraries.round(t, x)),
                Close.ulps(t, 1), 0, "add " + r);
        Close.assertClose(a.array().exp(), a.ref().map(Math::exp).map(x -> EngineArbitraries.round(t, x)),
                Close.ulps(t, 4), 0, "exp " + r);
        Close.assertSame(NDArray.where(a.array().gt(0), a.array(), b.array()),
                a.ref().zip(b.ref(), (x, y) -> x > 0 ? x : y), "where " + r);
        NDArray y = b.array().copy();
        y.addInPlace(a.array(), 0.5);
        Close.assertClose(y, b.ref().zip(a.ref(), (p, q) -> p + 0.5 * q), Close.ulps(t, 2), Close.ulps(t, 2), "addInPlace(alpha) " + r);
        NDArray z = b.array().copy();
        z.mulInPlace(a.array()).subInPlace(1).divInPlace(2);
        Close.assertClose(z, b.ref().zip(a.ref(), (p, q) -> (p * q - 1) / 2), Close.ulps(t, 3), Close.ulps(t, 3), "in-place chain " + r);
    }

    @Property(tries = 300)
    void reductionsOverTheRun(@ForAll("runs") Run r) {
        Sample a = r.sample(new Generator(r.seed()));
        double[] v = a.ref().data();
        double sumAbs = Arrays.stream(v).map(Math::abs).sum();
        assertEquals(Arrays.stream(v).sum(), a.array().sum().item(), Close.ulps(r.dtype(), 2 * r.length() + 2) * sumAbs, "sum " + r);
        if (r.length() > 0) {
            double max = Arrays.stream(v).max().orElseThrow();
            assertEquals(max, a.array().max().item(), "max " + r);
            assertEquals(Arrays.stream(v).min().orElseThrow(), a.array().min().item(), "min " + r);
            int first = 0;
            while (v[first] != max) {
                first++;
            }
            assertEquals(first, a.array().argmax().item(), "argmax " + r);
        }
    }

    /**
     * Softmax of the run as one row: from a vector's length up each row goes through its max, exp, sum and
     * divide on its own, below through the exp of the whole block. Relative error: a few ulps for the exp
     * and the divide, and the sum's rounding, at most one ulp per element.
     */
    @Property(tries = 300)
    void softmaxOfTheRun(@ForAll("runs") Run r) {
        Assume.that(r.length() > 0);
        Sample a = r.sample(new Generator(r.seed()));
        double[] v = a.ref().data();
        double max = Arrays.stream(v).max().orElseThrow();
        double sum = Arrays.stream(v).map(x -> Math.exp(x - max)).sum();
        DType t = r.dtype();
        Close.assertClose(a.array().softmax(0), a.ref().map(x -> EngineArbitraries.round(t, Math.exp(x - max) / sum)),
                Close.ulps(t, r.length() + 8), 0, "softmax " + r);
    }
}
