package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The fused softmax-cross-entropy kernels against the formula in plain double loops, over row lengths
 * around the vector length (body and tail), both dtypes, any layout of the inputs, and logits scaled up
 * to 1000 where an unshifted exp would overflow. Tolerance: 64 ulps of the dtype relative to the row's
 * magnitude (a log-sum-exp of up to 70 terms and a dot product); exp(z - lse) carries the rounding of
 * {@code z} itself, so the backward's magnitude grows with the row's largest logit.
 */
class CrossEntropyKernelProperties {

    record Case(Sample z, Sample t, Sample g) {
        @Override
        public String toString() {
            return "z " + z + ", t " + t + ", g " + g;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(1, 5);
        Arbitrary<Integer> cols = Arbitraries.integers().between(1, 70);
        Arbitrary<Double> scale = Arbitraries.of(1.0, 30.0, 1000.0);
        return Combinators.combine(EngineArbitraries.dtypes(), rows, cols, scale).flatAs((dtype, r, c, s) ->
                Combinators.combine(EngineArbitraries.samples(dtype, new int[] {r, c}), EngineArbitraries.samples(dtype, new int[] {r, c}),
                        EngineArbitraries.samples(dtype, new int[] {r}))
                        .as((z, t, g) -> new Case(scaled(z, s, dtype), t, g)));
    }

    private static Sample scaled(Sample z, double s, DType dtype) {
        double[] values = z.ref().data().clone();
        for (int k = 0; k < values.length; k++) {
            values[k] = EngineArbitraries.round(dtype, values[k] * s);
        }
        Ref ref = new Ref(values, z.ref().shape());
        return new Sample(NDArray.of(values, ref.shape()).to(dtype), ref, z.toString() + " x" + s);
    }

    /** The row's log-sum-exp, shifted by its max, in double. */
    private static double logSumExp(double[] z, int from, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            m = Math.max(m, z[from + c]);
        }
        double s = 0;
        for (int c = 0; c < n; c++) {
            s += Math.exp(z[from + c] - m);
        }
        return Math.log(s) + m;
    }

    private static double tolerance(DType dtype, double magnitude) {
        return Close.ulps(dtype, 64) * Math.max(1, magnitude);
    }

    @Property(tries = 300)
    void forwardIsMinusTheTargetWeightedLogSoftmax(@ForAll("cases") Case c) {
        int rows = c.z().ref().shape()[0], cols = c.z().ref().shape()[1];
        double[] z = c.z().ref().data(), t = c.t().ref().data();
        double[] got = c.z().array().softmaxCrossEntropy(c.t().array()).toDoubleArray();
        for (int r = 0; r < rows; r++) {
            double lse = logSumExp(z, r * cols, cols), expected = 0, magnitude = 0;
            for (int k = 0; k < cols; k++) {
                expected -= t[r * cols + k] * (z[r * cols + k] - lse);
                magnitude += Math.abs(t[r * cols + k]) * (Math.abs(z[r * cols + k]) + Math.abs(lse));
            }
            double tol = tolerance(c.z().array().dtype(), magnitude);
            assertTrue(Math.abs(got[r] - expected) <= tol, "row " + r + ": " + got[r] + ", expected " + expected + " ± " + tol);
        }
    }

    @Property(tries = 300)
    void backwardIsTheTargetMassTimesSoftmaxMinusTheTarget(@ForAll("cases") Case c) {
        int rows = c.z().ref().shape()[0], cols = c.z().ref().shape()[1];
        double[] z = c.z().ref().data(), t = c.t().ref().data(), g = c.g().ref().data();
        double[] got = c.z().array().softmaxCrossEntropyBackward(c.t().array(), c.g().array()).toDoubleArray();
        for (int r = 0; r < rows; r++) {
            double lse = logSumExp(z, r * cols, cols), mass = 0, magnitude = 0, largest = 1;
            for (int k = 0; k < cols; k++) {
                mass += t[r * cols + k];
                magnitude += Math.abs(t[r * cols + k]);
                largest = Math.max(largest, Math.abs(z[r * cols + k]));
            }
            for (int k = 0; k < cols; k++) {
                int at = r * cols + k;
                double expected = g[r] * (mass * Math.exp(z[at] - lse) - t[at]);
                double tol = tolerance(c.z().array().dtype(), Math.abs(g[r]) * magnitude * largest);
                assertTrue(Math.abs(got[at] - expected) <= tol,
                        "element [" + r + ", " + k + "]: " + got[at] + ", expected " + expected + " ± " + tol);
            }
        }
    }

    @Test
    void misshapenInputsAreNamed() {
        NDArray z = NDArray.zeros(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> z.softmaxCrossEntropy(NDArray.zeros(4, 2)));
        assertEquals("softmaxCrossEntropy: needs logits [rows, classes] and a target of the same shape, got [4, 3] and [4, 2]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> z.softmaxCrossEntropyBackward(NDArray.zeros(4, 3), NDArray.zeros(3)));
        assertEquals("softmaxCrossEntropyBackward: gradient of shape [3] for 4 rows", e.getMessage());
    }
}
