package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.GradCheck;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.autodiff.testing.TensorArbitraries;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * Losses are compositions of autodiff ops: their gradients pass GradCheck, and their values match the
 * textbook formulas computed here element by element (the figures PyTorch gives for the same inputs).
 */
class LossProperties {

    record Case(Tensor logits, Tensor labels, Tensor probabilities) {
    }

    @Provide
    Arbitrary<Case> classification() {
        return Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.integers().between(2, 5), Arbitraries.longs())
                .as((batch, classes, seed) -> {
                    Generator g = new Generator(seed);
                    Tensor logits = Tensor.randn(g, DType.FLOAT64, batch, classes).mul(3).detach().requiresGrad(true);
                    double[] labels = new double[batch];
                    for (int i = 0; i < batch; i++) {
                        labels[i] = g.nextInt(classes);
                    }
                    NDArray p = NDArray.uniform(g, DType.FLOAT64, 0.1, 1, batch, classes);
                    return new Case(logits, Tensor.of(labels, batch), Tensor.of(p.div(p.sum(new int[] {1}, true))));
                });
    }

    @Property(tries = 60)
    void crossEntropyGradientsWithEveryOption(@ForAll("classification") Case c) {
        int classes = c.logits().size(1);
        NDArray weight = NDArray.linspace(DType.FLOAT64, 0.5, 2, classes);
        for (CrossEntropyLoss loss : new CrossEntropyLoss[] {new CrossEntropyLoss(),
                new CrossEntropyLoss(Reduction.SUM, weight, -100, 0.1), new CrossEntropyLoss(Reduction.NONE, null, 0, 0.2)}) {
            GradCheck.check(in -> loss.forward(in[0], c.labels()), c.logits());
            GradCheck.check(in -> loss.forward(in[0], c.probabilities()), c.logits());
        }
    }

    @Property(tries = 60)
    void crossEntropyMatchesItsFormula(@ForAll("classification") Case c) {
        int batch = c.logits().size(0), classes = c.logits().size(1);
        double[] z = c.logits().value().toDoubleArray(), y = c.labels().value().toDoubleArray();
        double eps = 0.1, expected = 0;
        for (int i = 0; i < batch; i++) {
            double logZ = logSumExp(z, i * classes, classes), all = 0;
            for (int k = 0; k < classes; k++) {
                all += logZ - z[i * classes + k];
            }
            expected += (1 - eps) * (logZ - z[i * classes + (int) y[i]]) + eps * all / classes;
        }
        expected /= batch;
        double got = new CrossEntropyLoss(Reduction.MEAN, null, -100, eps).forward(c.logits(), c.labels()).item();
        assertEquals(expected, got, 1e-12);
    }

    /** {@code log sum exp z[from .. from+n)}, shifted by the maximum. */
    private static double logSumExp(double[] z, int from, int n) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int k = from; k < from + n; k++) {
            max = Math.max(max, z[k]);
        }
        for (int k = from; k < from + n; k++) {
            sum += Math.exp(z[k] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Probability targets, as PyTorch 1.13 defines them: row {@code i} loses
     * {@code -sum_c w_c t'_ic log softmax(z_i)_c} with {@code t' = (1 - eps) t + eps / C}; MEAN divides by the
     * number of rows (not by the weights, as it does for class indices).
     */
    @Property(tries = 40)
    void crossEntropyOfProbabilitiesMatchesItsFormulaWithWeightsSmoothingAndEveryReduction(@ForAll("classification") Case c,
            @ForAll @DoubleRange(min = 0, max = 1) double eps) {
        int batch = c.logits().size(0), classes = c.logits().size(1);
        NDArray weight = NDArray.linspace(DType.FLOAT64, 0.5, 2, classes);
        double[] z = c.logits().value().toDoubleArray(), t = c.probabilities().value().toDoubleArray(), w = weight.toDoubleArray();
        double[] each = new double[batch];
        double total = 0;
        for (int i = 0; i < batch; i++) {
            double logZ = logSumExp(z, i * classes, classes);
            for (int k = 0; k < classes; k++) {
                each[i] += w[k] * ((1 - eps) * t[i * classes + k] + eps / classes) * (logZ - z[i * classes + k]);
            }
            total += each[i];
        }
        assertEquals(total / batch, new CrossEntropyLoss(Reduction.MEAN, weight, -100, eps).forward(c.logits(), c.probabilities()).item(), 1e-12);
        assertEquals(total, new CrossEntropyLoss(Reduction.SUM, weight, -100, eps).forward(c.logits(), c.probabilities()).item(), 1e-12);
        assertArrayEquals(each, new CrossEntropyLoss(Reduction.NONE, weight, -100, eps).forward(c.logits(), c.probabilities()).value()
                .toDoubleArray(), 1e-12);
    }

    @Provide
    Arbitrary<Tensor[]> pairs() {
        return TensorArbitraries.shapes(1, 3, 4).flatMap(s -> TensorArbitraries.tensorPair(new int[][] {s, s}));
    }

    @Property(tries = 60)
    void pointwiseLossesGradients(@ForAll("pairs") Tensor[] xt) {
        Tensor target01 = Tensor.of(xt[1].value().gt(0));
        Tensor p = Tensor.of(xt[0].value().sigmoid().mul(0.9).add(0.05)).requiresGrad(true);
        GradCheck.check(in -> new MSELoss().forward(in[0], in[1]), xt);
        GradCheck.check(in -> new L1Loss(Reduction.SUM).forward(in[0], in[1]), xt);
        GradCheck.check(in -> new BCEWithLogitsLoss().forward(in[0], target01), xt[0]);
        GradCheck.check(in -> new BCELoss().forward(in[0], target01), p);
        // BCE on probabilities and BCE with logits agree where both are defined.
        assertEquals(new BCELoss().forward(xt[0].sigmoid(), target01).item(),
                new BCEWithLogitsLoss().forward(xt[0], target01).item(), 1e-9);
    }

    @Test
    void bceGradientIsFiniteWhereAProbabilityIsExactlyZeroOrOne() {
        // torch.nn.functional.binary_cross_entropy(p, t) with p = [0, 0.5, 1], t = [0, 1, 1]: grad [0, -2/3, 0].
        Tensor p = Tensor.of(new double[] {0, 0.5, 1}, 3).requiresGrad(true);
        new BCELoss().forward(p, Tensor.of(new double[] {0, 1, 1}, 3)).backward();
        assertArrayEquals(new double[] {0, -2.0 / 3, 0}, p.grad().value().toDoubleArray(), 1e-12);
    }

    @Test
    void crossEntropyOfHugeLogitsIsFinite() {
        Tensor logits = Tensor.of(new float[] {1000, 0, -1000, 1000}, 2, 2);
        Tensor labels = Tensor.of(new float[] {1, 1}, 2);
        double loss = new CrossEntropyLoss().forward(logits, labels).item();
        assertEquals((1000 + 0) / 2.0, loss, 1e-3);
        assertTrue(Double.isFinite(new BCEWithLogitsLoss().forward(Tensor.of(new float[] {1000, -1000}, 2),
                Tensor.of(new float[] {0, 1}, 2)).item()));
    }

    @Test
    void ignoredRowsAndWeightsFollowPyTorch() {
        // torch.nn.functional.cross_entropy(z, y, weight=w, ignore_index=2): sum(w[y] * nll) / sum(w[y]) over kept rows.
        Tensor z = Tensor.of(new double[] {1, 2, 3, 1, 0, 0, 0, 5, 1}, 3, 3);
        Tensor y = Tensor.of(new double[] {0, 2, 1}, 3);
        NDArray w = NDArray.of(new double[] {1, 2, 3}, 3);
        double nll0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
        double nll2 = Math.log(Math.exp(0) + Math.exp(5) + Math.exp(1)) - 5;
        double expected = (1 * nll0 + 2 * nll2) / 3;
        assertEquals(expected, new CrossEntropyLoss(Reduction.MEAN, w, 2, 0).forward(z, y).item(), 1e-12);
    }

    /** The elementwise losses of a pair, reduced by hand: MEAN, SUM, NONE. */
    private static void assertReductions(Loss mean, Loss sum, Loss none, Tensor x, Tensor t, DoubleBinaryOperator f) {
        double[] xs = x.value().toDoubleArray(), ts = t.value().toDoubleArray(), each = new double[xs.length];
        double total = 0;
        for (int i = 0; i < xs.length; i++) {
            each[i] = f.applyAsDouble(xs[i], ts[i]);
            total += each[i];
        }
        assertEquals(total / xs.length, mean.forward(x, t).item(), 1e-12);
        assertEquals(total, sum.forward(x, t).item(), 1e-12);
        assertArrayEquals(each, none.forward(x, t).value().toDoubleArray(), 1e-12);
    }

    /** BCELoss on probabilities in (0.05, 0.95) against soft targets in [0, 1]; BCEWithLogitsLoss in its stable form. */
    @Property(tries = 40)
    void pointwiseLossesMatchTheirFormulasWithEveryReduction(@ForAll("pairs") Tensor[] xt) {
        assertReductions(new MSELoss(Reduction.MEAN), new MSELoss(Reduction.SUM), new MSELoss(Reduction.NONE), xt[0], xt[1],
                (x, t) -> (x - t) * (x - t));
        assertReductions(new L1Loss(Reduction.MEAN), new L1Loss(Reduction.SUM), new L1Loss(Reduction.NONE), xt[0], xt[1],
                (x, t) -> Math.abs(x - t));
        Tensor p = Tensor.of(xt[0].value().sigmoid().mul(0.9).add(0.05)), soft = Tensor.of(xt[1].value().sigmoid());
        assertReductions(new BCELoss(Reduction.MEAN), new BCELoss(Reduction.SUM), new BCELoss(Reduction.NONE), p, soft,
                (q, t) -> -(t * Math.log(q) + (1 - t) * Math.log(1 - q)));
        assertReductions(new BCEWithLogitsLoss(Reduction.MEAN), new BCEWithLogitsLoss(Reduction.SUM), new BCEWithLogitsLoss(Reduction.NONE),
                xt[0], soft, (x, t) -> Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x))));
    }

    @Test
    void bceClampsTheLogarithmAtMinus100AsPyTorch() {
        // torch.nn.functional.binary_cross_entropy(p, t, reduction='none') with p = [0, 1, 0], t = [1, 0, 0]: [100, 100, 0].
        assertArrayEquals(new double[] {100, 100, 0}, new BCELoss(Reduction.NONE).forward(Tensor.of(new double[] {0, 1, 0}, 3),
                Tensor.of(new double[] {1, 0, 0}, 3)).value().toDoubleArray(), 0);
    }

    @Property(tries = 40)
    void smoothL1AndHuberMatchTheirFormulasAndGradients(@ForAll("pairs") Tensor[] xt,
            @ForAll @DoubleRange(min = 0.1, max = 2) double beta) {
        assertReductions(new SmoothL1Loss(Reduction.MEAN, beta), new SmoothL1Loss(Reduction.SUM, beta), new SmoothL1Loss(Reduction.NONE, beta),
                xt[0], xt[1], (x, t) -> Math.abs(x - t) < beta ? 0.5 * (x - t) * (x - t) / beta : Math.abs(x - t) - 0.5 * beta);
        assertReductions(new HuberLoss(Reduction.MEAN, beta), new HuberLoss(Reduction.SUM, beta), new HuberLoss(Reduction.NONE, beta),
                xt[0], xt[1], (x, t) -> Math.abs(x - t) < beta ? 0.5 * (x - t) * (x - t) : beta * (Math.abs(x - t) - 0.5 * beta));
        assertReductions(new SmoothL1Loss(Reduction.MEAN, 0), new SmoothL1Loss(Reduction.SUM, 0), new SmoothL1Loss(Reduction.NONE, 0),
                xt[0], xt[1], (x, t) -> Math.abs(x - t));
        GradCheck.check(in -> new SmoothL1Loss(Reduction.NONE, beta).forward(in[0], in[1]), xt);
        GradCheck.check(in -> new HuberLoss(Reduction.SUM, beta).forward(in[0], in[1]), xt);
    }

    @Property(tries = 40)
    void nllIsThePickedWeightedLogProbabilityAndCrossEntropyOfLogSoftmax(@ForAll("classification") Case c) {
        int batch = c.logits().size(0), classes = c.logits().size(1);
        NDArray weight = NDArray.linspace(DType.FLOAT64, 0.5, 2, classes);
        Tensor logP = c.logits().logSoftmax(1);
        double[] lp = logP.value().toDoubleArray(), y = c.labels().value().toDoubleArray(), w = weight.toDoubleArray();
        int ignore = (int) y[0];
        double num = 0, den = 0;
        for (int i = 0; i < batch; i++) {
            if (y[i] != ignore) {
                num -= w[(int) y[i]] * lp[i * classes + (int) y[i]];
                den += w[(int) y[i]];
            }
        }
        NLLLoss nll = new NLLLoss(Reduction.MEAN, weight, ignore);
        double got = nll.forward(logP, c.labels()).item();
        if (den == 0) {
            assertTrue(Double.isNaN(got), "every target ignored: 0/0 as PyTorch");
        } else {
            assertEquals(num / den, got, 1e-12);
            GradCheck.check(in -> nll.forward(in[0].logSoftmax(1), c.labels()), c.logits());
        }
        assertEquals(new CrossEntropyLoss(Reduction.SUM, weight, -100, 0).forward(c.logits(), c.labels()).item(),
                new NLLLoss(Reduction.SUM, weight, -100).forward(logP, c.labels()).item(), 1e-12);
    }

    /**
     * Inputs [N, C, d] (a class per position), checked against PyTorch 1.13 in float64:
     * {@code z[k] = 2 sin(1.3 k)} of shape [2, 3, 2], {@code y = [[0, 2], [1, 0]]}, {@code w = [0.5, 1, 2]};
     * {@code F.cross_entropy(z, y, weight=w, ignore_index=1, label_smoothing=0.2)} (and reduction='none'),
     * {@code F.nll_loss(F.log_softmax(z, 1), y, weight=w)}.
     */
    @Test
    void classLossesTakeAClassAxisWithPositionsAfterIt() {
        double[] z = new double[12];
        for (int k = 0; k < 12; k++) {
            z[k] = 2 * Math.sin(1.3 * k);
        }
        Tensor logits = Tensor.of(z, 2, 3, 2).requiresGrad(true);
        Tensor y = Tensor.of(new double[] {0, 2, 1, 0}, 2, 2);
        NDArray w = NDArray.of(new double[] {0.5, 1, 2}, 3);
        assertEquals(1.751638926969962, new CrossEntropyLoss(Reduction.MEAN, w, 1, 0.2).forward(logits, y).item(), 1e-12);
        assertArrayEquals(new double[] {1.0408280403041015, 3.239360065909285, 0, 0.9747286746964992},
                new CrossEntropyLoss(Reduction.NONE, w, 1, 0.2).forward(logits, y).value().toDoubleArray(), 1e-12);
        assertEquals(2.2222359799379103, new NLLLoss(Reduction.MEAN, w, -100).forward(logits.logSoftmax(1), y).item(), 1e-12);
        GradCheck.check(in -> new CrossEntropyLoss(Reduction.MEAN, w, 1, 0.2).forward(in[0], y), logits);
        Tensor probabilities = Tensor.of(NDArray.uniform(new Generator(1), DType.FLOAT64, 0, 1, 2, 3, 2));
        Tensor rows = logits.permute(0, 2, 1).reshape(4, 3), rowTargets = probabilities.permute(0, 2, 1).reshape(4, 3);
        assertEquals(new CrossEntropyLoss().forward(rows, rowTargets).item(), new CrossEntropyLoss().forward(logits, probabilities).item(), 1e-12);
        Tensor single = Tensor.of(new double[] {1, 2, 3}, 3);
        assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 2,
                new CrossEntropyLoss().forward(single, Tensor.scalar(1, DType.FLOAT64)).item(), 1e-12, "unbatched [C] with a scalar target");
    }

    @Property(tries = 40)
    void klDivergenceMatchesItsFormulaWithZeroTargetsAndEveryReduction(@ForAll("classification") Case c) {
        int batch = c.logits().size(0), classes = c.logits().size(1);
        Tensor logQ = c.logits().logSoftmax(1);
        NDArray p = c.probabilities().value().copy();
        p.select(1, 0).fill(0);
        Tensor target = Tensor.of(p).requiresGrad(true);
        double[] lq = logQ.value().toDoubleArray(), ps = p.toDoubleArray();
        double sum = 0, logTargetSum = 0;
        for (int i = 0; i < ps.length; i++) {
            sum += ps[i] == 0 ? 0 : ps[i] * (Math.log(ps[i]) - lq[i]);
            logTargetSum += Math.exp(lq[i]) * (lq[i] - lq[(i + classes / 2) % ps.length]);
        }
        assertEquals(sum / batch, new KLDivLoss(Reduction.BATCHMEAN, false).forward(logQ, target).item(), 1e-12);
        assertEquals(sum / ps.length, new KLDivLoss().forward(logQ, target).item(), 1e-12);
        assertEquals(sum, new KLDivLoss(Reduction.SUM, false).forward(logQ, target).item(), 1e-12);
        Tensor shifted = Tensor.of(NDArray.cat(0, logQ.value().reshape(-1).slice(0, classes / 2, ps.length),
                logQ.value().reshape(-1).slice(0, 0, classes / 2)).reshape(batch, classes));
        assertEquals(logTargetSum, new KLDivLoss(Reduction.SUM, true).forward(shifted, logQ).item(), 1e-12);
        GradCheck.check(in -> new KLDivLoss(Reduction.BATCHMEAN, false).forward(in[0].logSoftmax(1), in[1]), c.logits(),
                Tensor.of(c.probabilities().value()).requiresGrad(true));
        GradCheck.check(in -> new KLDivLoss(Reduction.NONE, true).forward(in[0], in[1]), c.logits(), c.logits().detach().mul(0.5).requiresGrad(true));
        Tensor zeroTargetGrad = Tensor.of(p).requiresGrad(true);
        new KLDivLoss(Reduction.SUM, false).forward(logQ.detach(), zeroTargetGrad).backward();
        assertTrue(Arrays.stream(zeroTargetGrad.grad().value().toDoubleArray()).allMatch(Double::isFinite), "a zero target has a finite gradient");
    }

    /**
     * PyTorch 1.13, float64: {@code F.binary_cross_entropy_with_logits(x, t, weight=[1, 2], pos_weight=[3, 0.5])}
     * with {@code x = [[0.3, -1.2], [2.5, -0.1]]}, {@code t = [[1, 0], [1, 0.5]]}.
     */
    @Test
    void bceWeightsAndPositiveWeightsAsPyTorch() {
        Tensor x = Tensor.of(new double[] {0.3, -1.2, 2.5, -0.1}, 2, 2).requiresGrad(true);
        Tensor t = Tensor.of(new double[] {1, 0, 1, 0.5}, 2, 2);
        NDArray w = NDArray.of(new double[] {1, 2}, 2), pw = NDArray.of(new double[] {3, 0.5}, 2);
        BCEWithLogitsLoss loss = new BCEWithLogitsLoss(Reduction.MEAN, w, pw);
        assertEquals(0.8607237152674121, loss.forward(x, t).item(), 1e-12);
        GradCheck.check(in -> loss.forward(in[0], t), x);
        double[] xs = x.value().toDoubleArray(), ts = t.value().toDoubleArray();
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double s = 1 / (1 + Math.exp(-xs[i]));
            expected -= w.get(i % 2) * (ts[i] * Math.log(s) + (1 - ts[i]) * Math.log(1 - s));
        }
        assertEquals(expected, new BCELoss(Reduction.SUM, w).forward(x.sigmoid(), t).item(), 1e-12);
        Tensor huge = Tensor.of(new double[] {1000, -1000}, 1, 2);
        assertTrue(Double.isFinite(loss.forward(huge, Tensor.of(new double[] {0, 1}, 1, 2)).item()));
    }

    @Test
    void lossesRejectBadSettingsAndShapes() {
        assertEquals("MSELoss: reduction BATCHMEAN is only for KLDivLoss",
                assertThrows(IllegalArgumentException.class, () -> new MSELoss(Reduction.BATCHMEAN)).getMessage());
        assertEquals("HuberLoss: delta must be positive, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new HuberLoss(Reduction.MEAN, 0)).getMessage());
        assertEquals("SmoothL1Loss: beta must not be negative, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new SmoothL1Loss(Reduction.MEAN, -1)).getMessage());
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3);
        assertEquals("BCEWithLogitsLoss: posWeight of shape [2] does not broadcast to the input's shape [2, 3]",
                assertThrows(IllegalArgumentException.class,
                        () -> new BCEWithLogitsLoss(Reduction.MEAN, null, NDArray.ones(DType.FLOAT64, 2)).forward(x, x)).getMessage());
        assertEquals("BCELoss: weight of shape [4, 3] does not broadcast to the input's shape [2, 3]",
                assertThrows(IllegalArgumentException.class,
                        () -> new BCELoss(Reduction.MEAN, NDArray.ones(DType.FLOAT64, 4, 3)).forward(x, x)).getMessage());
        assertEquals("KLDivLoss: input of shape [2, 3] and target of shape [3] differ",
                assertThrows(IllegalArgumentException.class,
                        () -> new KLDivLoss().forward(x, Tensor.zeros(DType.FLOAT64, 3))).getMessage());
        assertEquals("NLLLoss: target of shape [3] is not class indices [2] for the input [2, 3]",
                assertThrows(IllegalArgumentException.class,
                        () -> new NLLLoss().forward(x, Tensor.zeros(DType.FLOAT64, 3))).getMessage());
        assertEquals("NLLLoss: target 3.0 at flat position 1 is not a class index in [0, 3)",
                assertThrows(IllegalArgumentException.class,
                        () -> new NLLLoss().forward(x, Tensor.of(new double[] {0, 3}, 2))).getMessage());
        assertEquals("CrossEntropyLoss: target of shape [2, 1] is neither class indices [2] nor probabilities [2, 3]",
                assertThrows(IllegalArgumentException.class,
                        () -> new CrossEntropyLoss().forward(x, Tensor.zeros(DType.FLOAT64, 2, 1))).getMessage());
        assertEquals("CrossEntropyLoss: weight of shape [2] for 3 classes",
                assertThrows(IllegalArgumentException.class,
                        () -> new CrossEntropyLoss(Reduction.MEAN, NDArray.ones(DType.FLOAT64, 2), -100, 0).forward(x, Tensor.zeros(DType.FLOAT64, 2)))
                        .getMessage());
        assertEquals("CrossEntropyLoss: input must be [classes], [batch, classes] or [batch, classes, d1, ...], got []",
                assertThrows(IllegalArgumentException.class,
                        () -> new CrossEntropyLoss().forward(Tensor.scalar(1, DType.FLOAT64), Tensor.scalar(0, DType.FLOAT64))).getMessage());
    }
}
