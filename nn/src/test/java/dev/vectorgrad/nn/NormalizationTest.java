package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.autodiff.GradCheck;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BatchNorm and LayerNorm against their formulas written out with loops, and their gradients by GradCheck. */
class NormalizationTest {

    private final Generator g = new Generator(3);
    private static final double EPS = 1e-5;

    /** Per channel of a {@code [n, c, rest]} array: {mean, biased variance, count}. */
    private static double[][] channelStats(double[] x, int n, int c, int rest) {
        double[][] stats = new double[c][3];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < rest; r++) {
                    sum += x[(i * c + ch) * rest + r];
                }
            }
            double mean = sum / (n * rest);
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < rest; r++) {
                    double d = x[(i * c + ch) * rest + r] - mean;
                    sq += d * d;
                }
            }
            stats[ch] = new double[] {mean, sq / (n * rest), n * rest};
        }
        return stats;
    }

    /** {@code (x - mean[c]) / sqrt(var[c] + eps) * w[c] + b[c]} for a {@code [n, c, rest]} array. */
    private static double[] normalize(double[] x, int n, int c, int rest, double[] mean, double[] var, double[] w, double[] b) {
        double[] y = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < rest; r++) {
                    int at = (i * c + ch) * rest + r;
                    y[at] = (x[at] - mean[ch]) / Math.sqrt(var[ch] + EPS) * w[ch] + b[ch];
                }
            }
        }
        return y;
    }

    private static double[] column(double[][] stats, int k) {
        double[] out = new double[stats.length];
        for (int i = 0; i < stats.length; i++) {
            out[i] = stats[i][k];
        }
        return out;
    }

    private BatchNorm randomAffine(BatchNorm bn) {
        Init.uniform(bn.weight(), 0.5, 2, g);
        Init.uniform(bn.bias(), -1, 1, g);
        return bn;
    }

    @Test
    void batchNormNormalisesEachChannelWithBatchStatisticsInTraining() {
        for (int[] shape : new int[][] {{5, 3}, {4, 3, 6}, {2, 3, 4, 5}}) {
            BatchNorm bn = randomAffine(shape.length == 4 ? new BatchNorm2d(3) : new BatchNorm1d(3));
            bn.to(DType.FLOAT64);
            Tensor x = Tensor.randn(g, DType.FLOAT64, shape).mul(3).add(1);
            int rest = x.numel() / (shape[0] * 3);
            double[][] stats = channelStats(x.value().toDoubleArray(), shape[0], 3, rest);
            double[] expected = normalize(x.value().toDoubleArray(), shape[0], 3, rest, column(stats, 0), column(stats, 1),
                    bn.weight().value().toDoubleArray(), bn.bias().value().toDoubleArray());
            assertArrayEquals(expected, bn.forward(x).value().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void runningStatisticsMoveByMomentumWithTheUnbiasedVariance() {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.to(DType.FLOAT64);
        double[] mean = {0, 0}, var = {1, 1};
        for (int step = 0; step < 3; step++) {
            Tensor x = Tensor.randn(g, DType.FLOAT64, 4, 2, 3).mul(step + 1).add(step);
            bn.forward(x);
            double[][] stats = channelStats(x.value().toDoubleArray(), 4, 2, 3);
            for (int c = 0; c < 2; c++) {
                double n = stats[c][2];
                mean[c] = 0.9 * mean[c] + 0.1 * stats[c][0];
                var[c] = 0.9 * var[c] + 0.1 * stats[c][1] * n / (n - 1);
            }
        }
        assertArrayEquals(mean, bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(var, bn.runningVar().toDoubleArray(), 1e-12);
        assertEquals(3, bn.stateDict().get("num_batches_tracked").item());
    }

    @Test
    void momentumNullIsTheCumulativeAverage() {
        BatchNorm2d bn = new BatchNorm2d(2, EPS, null, true, true);
        bn.to(DType.FLOAT64);
        double[] meanSum = new double[2], varSum = new double[2];
        int steps = 4;
        for (int step = 0; step < steps; step++) {
            Tensor x = Tensor.randn(g, DType.FLOAT64, 3, 2, 2, 2).add(step);
            bn.forward(x);
            double[][] stats = channelStats(x.value().toDoubleArray(), 3, 2, 4);
            for (int c = 0; c < 2; c++) {
                meanSum[c] += stats[c][0];
                varSum[c] += stats[c][1] * 12 / 11;
            }
        }
        for (int c = 0; c < 2; c++) {
            assertEquals(meanSum[c] / steps, bn.runningMean().get(c), 1e-12);
            assertEquals(varSum[c] / steps, bn.runningVar().get(c), 1e-12);
        }
    }

    @Test
    void evalModeUsesTheRunningStatisticsAndLeavesThemAlone() {
        BatchNorm1d bn = (BatchNorm1d) randomAffine(new BatchNorm1d(3));
        bn.to(DType.FLOAT64);
        bn.forward(Tensor.randn(g, DType.FLOAT64, 8, 3).mul(2).add(5));
        bn.eval();
        double[] mean = bn.runningMean().toDoubleArray(), var = bn.runningVar().toDoubleArray();
        Tensor x = Tensor.randn(g, DType.FLOAT64, 1, 3);
        double[] expected = normalize(x.value().toDoubleArray(), 1, 3, 1, mean, var,
                bn.weight().value().toDoubleArray(), bn.bias().value().toDoubleArray());
        assertArrayEquals(expected, bn.forward(x).value().toDoubleArray(), 1e-12, "a batch of one is fine in eval mode");
        assertArrayEquals(mean, bn.runningMean().toDoubleArray(), 0);
        assertEquals(1, bn.stateDict().get("num_batches_tracked").item());
    }

    @Test
    void withoutTrackingThereAreNoBuffersAndBatchStatisticsAlways() {
        BatchNorm1d bn = new BatchNorm1d(3, EPS, 0.1, false, false);
        assertEquals(List.of(), List.copyOf(bn.stateDict().keySet()));
        assertNull(bn.runningMean());
        assertNull(bn.weight());
        bn.eval();
        Tensor x = Tensor.randn(g, DType.FLOAT64, 6, 3);
        double[][] stats = channelStats(x.value().toDoubleArray(), 6, 3, 1);
        double[] expected = normalize(x.value().toDoubleArray(), 6, 3, 1, column(stats, 0), column(stats, 1),
                new double[] {1, 1, 1}, new double[3]);
        assertArrayEquals(expected, bn.forward(x).value().toDoubleArray(), 1e-12);
    }

    @Test
    void batchNormGradientsInTrainingAndEval() {
        for (boolean training : new boolean[] {true, false}) {
            BatchNorm bn = randomAffine(new BatchNorm2d(2));
            bn.to(DType.FLOAT64);
            bn.forward(Tensor.randn(g, DType.FLOAT64, 3, 2, 2, 2));
            bn.train(training);
            Tensor x = Tensor.randn(g, DType.FLOAT64, 3, 2, 2, 2).requiresGrad(true);
            ModuleChecks.checkParameters(bn, in -> bn.forward(in[0]), x);
        }
        BatchNorm1d plain = new BatchNorm1d(3, EPS, 0.1, false, true);
        plain.to(DType.FLOAT64);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 4, 3, 2).requiresGrad(true);
        GradCheck.check(in -> plain.forward(in[0]), x);
        GradCheck.gradGradCheck(in -> plain.forward(in[0]), x);
    }

    @Test
    void batchNormRejectsBadInputs() {
        BatchNorm1d bn = new BatchNorm1d(3);
        assertEquals("BatchNorm1d(3, eps=1.0E-5, momentum=0.1, affine=true, trackRunningStats=true): expected an input of rank 2 or 3, "
                + "got shape [2, 3, 4, 5]", assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.zeros(DType.FLOAT32, 2, 3, 4, 5))).getMessage());
        assertEquals("Sequential[0] BatchNorm2d(3, eps=1.0E-5, momentum=0.1, affine=true, trackRunningStats=true): input of shape "
                + "[2, 4, 5, 5] has 4 channels (axis 1), expected 3", assertThrows(IllegalArgumentException.class,
                () -> new Sequential(new BatchNorm2d(3)).forward(Tensor.zeros(DType.FLOAT32, 2, 4, 5, 5))).getMessage());
        assertEquals("BatchNorm1d(3, eps=1.0E-5, momentum=0.1, affine=true, trackRunningStats=true): expected more than 1 value per "
                + "channel when using batch statistics, got input of shape [1, 3]", assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.zeros(DType.FLOAT32, 1, 3))).getMessage());
        assertEquals("BatchNorm1d: needs numFeatures > 0, eps > 0 and momentum in [0, 1] or null, got 3, 1.0E-5, 1.5",
                assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3, EPS, 1.5, true, true)).getMessage());
    }

    @Test
    void layerNormNormalisesEachSampleOverTheTrailingAxes() {
        LayerNorm ln = new LayerNorm(new int[] {2, 3}, EPS, true);
        ln.to(DType.FLOAT64);
        Init.uniform(ln.namedParameters().get("weight"), 0.5, 2, g);
        Init.uniform(ln.namedParameters().get("bias"), -1, 1, g);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 4, 2, 3).mul(2).add(1);
        double[] xs = x.value().toDoubleArray(), w = ln.namedParameters().get("weight").value().toDoubleArray();
        double[] b = ln.namedParameters().get("bias").value().toDoubleArray(), expected = new double[xs.length];
        for (int s = 0; s < 4; s++) {
            double mean = 0, var = 0;
            for (int k = 0; k < 6; k++) {
                mean += xs[s * 6 + k] / 6;
            }
            for (int k = 0; k < 6; k++) {
                var += (xs[s * 6 + k] - mean) * (xs[s * 6 + k] - mean) / 6;
            }
            for (int k = 0; k < 6; k++) {
                expected[s * 6 + k] = (xs[s * 6 + k] - mean) / Math.sqrt(var + EPS) * w[k] + b[k];
            }
        }
        assertArrayEquals(expected, ln.forward(x).value().toDoubleArray(), 1e-12);
        ModuleChecks.checkParameters(ln, in -> ln.forward(in[0]), Tensor.randn(g, DType.FLOAT64, 2, 2, 3).requiresGrad(true));
        LayerNorm plain = new LayerNorm(new int[] {3}, 1e-3, false);
        assertEquals(List.of(), List.copyOf(plain.stateDict().keySet()));
        Tensor x2 = Tensor.randn(g, DType.FLOAT64, 2, 3).requiresGrad(true);
        GradCheck.check(in -> plain.forward(in[0]), x2);
        GradCheck.gradGradCheck(in -> plain.forward(in[0]), x2);
    }

    @Test
    void layerNormRejectsBadInputs() {
        assertEquals("LayerNorm([4], eps=1.0E-5, elementwiseAffine=true): input of shape [2, 3] does not end in [4]",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4).forward(Tensor.zeros(DType.FLOAT32, 2, 3))).getMessage());
        assertEquals("LayerNorm([2, 3], eps=1.0E-5, elementwiseAffine=true): input of shape [3] does not end in [2, 3]",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm(2, 3).forward(Tensor.zeros(DType.FLOAT32, 3))).getMessage());
        assertEquals("LayerNorm: needs a non-empty normalizedShape of positive sizes and eps > 0, got [0] and 1.0E-5",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm(0)).getMessage());
    }

    @Test
    void embeddingLooksUpRowsAndItsPaddingRowGetsNoGradient() {
        Embedding emb = new Embedding(5, 3, -1, g);
        assertArrayEquals(new double[3], emb.weight().value().select(0, 4).toDoubleArray(), "padding row starts at zero");
        emb.to(DType.FLOAT64);
        emb.weight().value().select(0, 4).fill(7);
        Tensor idx = Tensor.of(new double[] {1, 4, 0, 1, 3, 4}, 2, 3);
        Tensor y = emb.forward(idx);
        assertArrayEquals(new int[] {2, 3, 3}, y.shape());
        double[] w = emb.weight().value().toDoubleArray(), idxs = idx.value().toDoubleArray();
        for (int i = 0; i < idxs.length; i++) {
            for (int d = 0; d < 3; d++) {
                assertEquals(w[(int) idxs[i] * 3 + d], y.value().get(i / 3, i % 3, d), 0);
            }
        }
        y.mul(y).sum().backward();
        double[] grad = emb.weight().grad().value().toDoubleArray();
        for (int d = 0; d < 3; d++) {
            assertEquals(0, grad[4 * 3 + d], "padding row");
            assertEquals(0, grad[2 * 3 + d], "unused row");
            assertEquals(2 * 2 * w[3 + d], grad[3 + d], 1e-12, "row 1, used twice");
        }
        ModuleChecks.checkParameters(emb, in -> emb.forward(idx).tanh());
    }

    @Test
    void embeddingIsStandardNormal() {
        NDArray w = new Embedding(400, 50, g).weight().value();
        assertEquals(0, w.mean().item(), 0.03, "mean of 20000 draws: 4 standard errors");
        assertEquals(1, w.std().item(), 0.03);
    }

    @Test
    void embeddingRejectsBadIndices() {
        Embedding emb = new Embedding(5, 3, g);
        assertEquals("Embedding(5, 3): index 5.0 at flat position 1 of the input of shape [2] is not a row in [0, 5)",
                assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(new float[] {0, 5}, 2))).getMessage());
        assertEquals("Embedding(5, 3): index 1.5 at flat position 0 of the input of shape [1] is not a row in [0, 5)",
                assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(new float[] {1.5f}, 1))).getMessage());
        assertEquals("Embedding: paddingIdx 5 is not within [-5, 5)",
                assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 3, 5, g)).getMessage());
        assertEquals("Embedding: sizes must be positive, got 0 x 3",
                assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 3, g)).getMessage());
    }
}
