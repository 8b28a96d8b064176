package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Reductions over random sets of axes (negative ones too), with and without keepDims, against the
 * reference's plain loops. A sum of n FLOAT32 values may differ from the exact sum by about n ulps of the
 * sum of magnitudes (the kernel adds in a different order); max, min and argmax are exact.
 */
class ReductionProperties {

    record Case(Sample x, int[] axes, boolean keepDims) {
        @Override
        public String toString() {
            return x + " axes " + Arrays.toString(axes) + (keepDims ? " keepDims" : "");
        }

        /** The axes the reference folds: all of them when none are named, as in the engine. */
        int[] refAxes() {
            int rank = x.ref().shape().length;
            return axes.length == 0 ? Ref.range(rank) : Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).toArray();
        }

        int count() {
            int n = 1;
            for (int a : refAxes()) {
                n *= x.ref().shape()[a];
            }
            return n;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(EngineArbitraries.samples(4, 6), Arbitraries.longs(), Arbitraries.of(true, false))
                .as((x, seed, keep) -> {
                    Generator g = new Generator(seed);
                    int rank = x.array().dim();
                    int[] axes = Arrays.stream(Ref.range(rank)).filter(d -> g.nextInt(2) == 0)
                            .map(d -> g.nextInt(2) == 0 ? d - rank : d).toArray();
                    return new Case(x, axes, keep);
                });
    }

    private static double sumTolerance(Case c) {
        return Close.ulps(c.x().array().dtype(), 4 * (c.count() + 1)) * Math.max(1, maxAbs(c.x().ref()));
    }

    private static double maxAbs(Ref r) {
        return Arrays.stream(r.data()).map(Math::abs).max().orElse(0);
    }

    private static void check(Case c, NDArray actual, ToDoubleFunction<double[]> fold, double atol, String op) {
        Ref expected = c.x().ref().reduce(c.refAxes(), c.keepDims(), fold)
                .map(v -> EngineArbitraries.round(c.x().array().dtype(), v));
        Close.assertClose(actual, expected, 0, atol, op + "(" + c + ")");
    }

    @Property(tries = 300)
    void sumAndMean(@ForAll("cases") Case c) {
        double tol = sumTolerance(c);
        check(c, c.x().array().sum(c.axes(), c.keepDims()), v -> Arrays.stream(v).sum(), tol * c.count(), "sum");
        check(c, c.x().array().mean(c.axes(), c.keepDims()), v -> Arrays.stream(v).sum() / v.length, tol, "mean");
    }

    @Property(tries = 300)
    void maxAndMinAreExact(@ForAll("cases") Case c) {
        Assume.that(c.count() > 0);
        check(c, c.x().array().max(c.axes(), c.keepDims()), v -> Arrays.stream(v).max().orElseThrow(), 0, "max");
        check(c, c.x().array().min(c.axes(), c.keepDims()), v -> Arrays.stream(v).min().orElseThrow(), 0, "min");
    }

    @Property(tries = 300)
    void varStdAndLogsumexp(@ForAll("cases") Case c) {
        Assume.that(c.count() > 1);
        double tol = 4 * sumTolerance(c);
        ToDoubleFunction<double[]> var = v -> {
            double mean = Arrays.stream(v).sum() / v.length;
            return Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        };
        check(c, c.x().array().var(c.axes(), c.keepDims(), 1), var, tol, "var");
        check(c, c.x().array().std(c.axes(), c.keepDims(), 1), v -> Math.sqrt(var.applyAsDouble(v)), tol, "std");
        check(c, c.x().array().logsumexp(c.axes(), c.keepDims()),
                v -> Math.log(Arrays.stream(v).map(Math::exp).sum()), tol, "logsumexp");
    }

    @Property(tries = 300)
    void argmaxAndArgminPickTheFirstExtreme(@ForAll("cases") Case c) {
        int rank = c.x().array().dim();
        Assume.that(rank > 0);
        int axis = c.refAxes().length > 0 ? c.refAxes()[0] : 0;
        Assume.that(c.x().array().size(axis) > 0);
        Case one = new Case(c.x(), new int[] {axis}, c.keepDims());
        check(one, c.x().array().argmax(axis, c.keepDims()), v -> firstIndexOf(v, Arrays.stream(v).max().orElseThrow()), 0, "argmax");
        check(one, c.x().array().argmin(axis, c.keepDims()), v -> firstIndexOf(v, Arrays.stream(v).min().orElseThrow()), 0, "argmin");
    }

    private static int firstIndexOf(double[] v, double x) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] == x) {
                return i;
            }
        }
        throw new AssertionError();
    }

    @Property(tries = 300)
    void softmaxAndLogSoftmaxAlongAnAxis(@ForAll("cases") Case c) {
        int rank = c.x().array().dim();
        Assume.that(rank > 0);
        int axis = c.refAxes().length > 0 ? c.refAxes()[0] : rank - 1;
        Sample x = c.x();
        // softmax keeps the shape: its reference recomputes each element from its own row.
        Ref logsumexp = x.ref().reduce(new int[] {axis}, true, v -> Math.log(Arrays.stream(v).map(Math::exp).sum()));
        Ref logSoftmax = x.ref().zip(logsumexp, (a, l) -> a - l);
        double tol = 8 * sumTolerance(c);
        DType dtype = x.array().dtype();
        Close.assertClose(x.array().logSoftmax(axis), logSoftmax.map(v -> EngineArbitraries.round(dtype, v)), 0, tol, "logSoftmax(" + c + ")");
        Close.assertClose(x.array().softmax(axis), logSoftmax.map(Math::exp).map(v -> EngineArbitraries.round(dtype, v)), 0, tol, "softmax(" + c + ")");
    }

    @Test
    void logSoftmaxStaysFiniteAndExactWhereSoftmaxWouldOverflow() {
        for (DType dtype : EngineArbitraries.bothDtypes()) {
            NDArray x = NDArray.of(new double[] {1000, 0}, 2).to(dtype);
            assertArrayEquals(new double[] {0, -1000}, x.logSoftmax(0).toDoubleArray(), dtype.toString());
            assertArrayEquals(new double[] {1, 0}, x.softmax(0).toDoubleArray(), dtype.toString());
            assertEquals(1000, x.logsumexp(0).item(), dtype.toString());
            NDArray low = NDArray.of(new double[] {-1000, -1000}, 2).to(dtype);
            assertEquals(-1000 + Math.log(2), low.logsumexp(0).item(), 1e-4, dtype.toString());
        }
    }

    @Test
    void emptyReductionsFollowNumPy() {
        NDArray empty = NDArray.zeros(3, 0);
        assertArrayEquals(new double[] {0, 0, 0}, empty.sum(1).toDoubleArray());
        assertArrayEquals(new int[] {0}, empty.sum(0).shape());
        assertEquals(true, Double.isNaN(empty.mean().item()));
    }
}
