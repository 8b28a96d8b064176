package dev.vectorgrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import org.junit.jupiter.api.Test;

/** Every metric against values worked out by hand (in the comments) for small batches. */
class MetricTest {

    private static final double EXACT = 1e-12;

    /**
     * Six rows, three classes; predicted (argmax) 0, 1, 2, 0, 1, 2 against targets 0, 2, 2, 1, 1, 2.
     * Confusion (rows actual): [1 0 0; 1 1 0; 0 1 2]. Precision per class 1/2, 1/2, 2/2; recall 1/1, 1/2,
     * 2/3; F1 2/3, 1/2, 4/5. The target's score is beaten by 0, 1, 0, 2, 0, 0 others: top-2 misses row 3.
     */
    private static final NDArray LOGITS = NDArray.of(new float[] {2, 1, 0, 0, 3, 1, 1, 0, 4, 5, 1, 2, 0, 2, 1, 0, 1, 3}, 6, 3);
    private static final NDArray CLASSES = NDArray.of(new float[] {0, 2, 2, 1, 1, 2}, 6);

    /** Logits cut at 0 give 1, 0, 1, 0, 1, 0 against 1, 0, 0, 1, 1, 1: tp 2, fp 1, fn 2, tn 1. */
    private static final NDArray BINARY_LOGITS = NDArray.of(new float[] {2, -1, 0.5f, -3, 1, -0.2f}, 6, 1);
    private static final NDArray BINARY_TARGETS = NDArray.of(new float[] {1, 0, 0, 1, 1, 1}, 6, 1);

    private static double score(Metric m, NDArray output, NDArray target) {
        m.reset();
        m.update(output, target);
        return m.result();
    }

    /** The same metric fed in two batches must give the value of the whole: the accumulation is per pass. */
    private static double scoreInTwoBatches(Metric m, NDArray output, NDArray target) {
        m.reset();
        m.update(output.slice(0, 0, 4), target.slice(0, 0, 4));
        m.update(output.slice(0, 4, output.size(0)), target.slice(0, 4, target.size(0)));
        return m.result();
    }

    @Test
    void multiClassScores() {
        assertEquals(4.0 / 6, score(Metric.accuracy(), LOGITS, CLASSES), EXACT);
        assertEquals(4.0 / 6, score(Metric.topKAccuracy(1), LOGITS, CLASSES), EXACT);
        assertEquals(5.0 / 6, score(Metric.topKAccuracy(2), LOGITS, CLASSES), EXACT);
        assertEquals(1.0, score(Metric.topKAccuracy(3), LOGITS, CLASSES), EXACT);
        assertEquals((0.5 + 0.5 + 1) / 3, score(Metric.macroPrecision(3), LOGITS, CLASSES), EXACT);
        assertEquals((1 + 0.5 + 2.0 / 3) / 3, score(Metric.macroRecall(3), LOGITS, CLASSES), EXACT);
        assertEquals((2.0 / 3 + 0.5 + 0.8) / 3, score(Metric.macroF1(3), LOGITS, CLASSES), EXACT);
        for (Metric m : new Metric[] {Metric.accuracy(), Metric.topKAccuracy(2), Metric.macroF1(3)}) {
            assertEquals(score(m, LOGITS, CLASSES), scoreInTwoBatches(m, LOGITS, CLASSES), EXACT, m.name());
        }
        NDArray oneHot = CLASSES.oneHot(3);
        assertEquals(4.0 / 6, score(Metric.accuracy(), LOGITS, oneHot), EXACT, "one-hot targets");
    }

    @Test
    void topKCountsTiesIn() {
        NDArray tied = NDArray.of(new float[] {1, 1, 0}, 1, 3);
        assertEquals(0.0, score(Metric.accuracy(), tied, NDArray.of(new float[] {1}, 1)), EXACT, "argmax takes the first");
        assertEquals(1.0, score(Metric.topKAccuracy(1), tied, NDArray.of(new float[] {1}, 1)), EXACT);
        assertEquals("Metric.topKAccuracy: k must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Metric.topKAccuracy(0)).getMessage());
    }

    @Test
    void binaryScoresFromLogitsOrProbabilities() {
        assertEquals(3.0 / 6, score(Metric.accuracy(), BINARY_LOGITS, BINARY_TARGETS), EXACT);
        assertEquals(2.0 / 3, score(Metric.precision(), BINARY_LOGITS, BINARY_TARGETS), EXACT);
        assertEquals(2.0 / 4, score(Metric.recall(), BINARY_LOGITS, BINARY_TARGETS), EXACT);
        assertEquals(4.0 / 7, score(Metric.f1(), BINARY_LOGITS, BINARY_TARGETS), EXACT);
        // Probabilities cut at 0.5 (0.5 itself is negative) give the same classes as the logits above.
        NDArray probabilities = NDArray.of(new float[] {0.9f, 0.2f, 0.6f, 0.4f, 0.55f, 0.5f}, 6, 1);
        assertEquals(3.0 / 6, score(Metric.binaryAccuracy(0.5), probabilities, BINARY_TARGETS), EXACT);
        assertEquals(2.0 / 3, score(Metric.precision(0.5), probabilities, BINARY_TARGETS), EXACT);
        assertEquals(2.0 / 4, score(Metric.recall(0.5), probabilities, BINARY_TARGETS), EXACT);
        assertEquals(4.0 / 7, score(Metric.f1(0.5), probabilities, BINARY_TARGETS), EXACT);
        assertEquals(score(Metric.f1(), BINARY_LOGITS, BINARY_TARGETS),
                scoreInTwoBatches(Metric.f1(), BINARY_LOGITS, BINARY_TARGETS), EXACT);
        // Nothing predicted positive: precision is 0, not NaN (scikit-learn's zero_division=0).
        NDArray negative = NDArray.full(DType.FLOAT32, -1, 6, 1);
        assertEquals(0.0, score(Metric.precision(), negative, BINARY_TARGETS), EXACT);
        assertEquals(0.0, score(Metric.f1(), negative, BINARY_TARGETS), EXACT);
    }

    @Test
    void regressionErrors() {
        // errors -0.5, 0, 1, -2: squares sum to 5.25, absolute values to 3.5
        NDArray predicted = NDArray.of(new float[] {1, 2, 3, 4}, 4, 1);
        NDArray target = NDArray.of(new float[] {1.5f, 2, 2, 6}, 4);
        assertEquals(5.25 / 4, score(Metric.meanSquaredError(), predicted, target), EXACT);
        assertEquals(3.5 / 4, score(Metric.meanAbsoluteError(), predicted, target), EXACT);
        assertEquals(5.25 / 4, scoreInTwoBatches(Metric.meanSquaredError(), predicted, target), EXACT);
        assertEquals("mse: output of shape [4, 1] and target of shape [3] differ in size", assertThrows(IllegalArgumentException.class,
                () -> score(Metric.meanSquaredError(), predicted, NDArray.zeros(3))).getMessage());
    }

    @Test
    void nothingAddedIsNaN() {
        for (Metric m : new Metric[] {Metric.accuracy(), Metric.meanAbsoluteError(), Metric.macroRecall(3)}) {
            m.reset();
            assertTrue(Double.isNaN(m.result()), m.name());
        }
    }

    @Test
    void confusionMatrixCountsAndPrints() {
        ConfusionMatrix cm = ConfusionMatrix.of(LOGITS, CLASSES, 3);
        long[][] expected = {{1, 0, 0}, {1, 1, 0}, {0, 1, 2}};
        for (int a = 0; a < 3; a++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(expected[a][p], cm.count(a, p), a + "," + p);
            }
        }
        assertEquals(6, cm.total());
        assertEquals(4.0 / 6, cm.accuracy(), EXACT);
        assertEquals(2.0 / 3, cm.recall(2), EXACT);
        assertEquals("""
                actual\\pred    0    1    2   precision   recall       f1
                0              1    0    0      0.5000   1.0000   0.6667
                1              1    1    0      0.5000   0.5000   0.5000
                2              0    1    2      1.0000   0.6667   0.8000
                """, cm.toString());
        assertEquals("ConfusionMatrix: target class 3.0 is not in 0..2", assertThrows(IllegalArgumentException.class,
                () -> cm.update(LOGITS.slice(0, 0, 1), NDArray.of(new float[] {3}, 1), 0)).getMessage());
        assertEquals("ConfusionMatrix: needs at least 2 classes, got 1",
                assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(1)).getMessage());
    }
}
