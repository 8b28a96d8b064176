package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.GradCheck;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.autodiff.testing.TensorArbitraries;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
            double max = Double.NEGATIVE_INFINITY, sum = 0, all = 0;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, z[i * classes + k]);
            }
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(z[i * classes + k] - max);
            }
            double logZ = max + Math.log(sum);
            for (int k = 0; k < classes; k++) {
                all += logZ - z[i * classes + k];
            }
            expected += (1 - eps) * (logZ - z[i * classes + (int) y[i]]) + eps * all / classes;
        }
        expected /= batch;
        double got = new CrossEntropyLoss(Reduction.MEAN, null, -100, eps).forward(c.logits(), c.labels()).item();
        assertEquals(expected, got, 1e-12);
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
}
