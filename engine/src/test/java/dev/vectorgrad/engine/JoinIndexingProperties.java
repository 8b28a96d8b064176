package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** cat, stack, split and the index ops against the reference; all exact, since they only move elements. */
class JoinIndexingProperties {

    record Case(Sample x, int axis, long seed) {
        @Override
        public String toString() {
            return x + " axis " + axis + " seed " + seed;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(EngineArbitraries.samples(4, 6).filter(s -> s.array().dim() > 0), Arbitraries.longs())
                .as((x, seed) -> new Case(x, new Generator(seed).nextInt(x.array().dim()), seed));
    }

    @Property
    void splitThenCatGivesTheArrayBack(@ForAll("cases") Case c) {
        NDArray x = c.x().array();
        int size = x.size(c.axis());
        Generator g = new Generator(c.seed());
        int piece = 1 + g.nextInt(Math.max(1, size));
        NDArray[] parts = x.split(piece, c.axis());
        assertEquals(Math.max(1, (size + piece - 1) / piece), parts.length, "number of pieces of " + c);
        int start = 0;
        for (NDArray p : parts) {
            int len = p.size(c.axis());
            Close.assertSame(p, c.x().ref().slice(c.axis(), start, start + len, 1), "piece of " + c);
            start += len;
        }
        Close.assertSame(NDArray.cat(c.axis(), parts), c.x().ref(), "cat of split of " + c);
    }

    @Property
    void stackInsertsANewAxis(@ForAll("cases") Case c) {
        NDArray x = c.x().array();
        NDArray y = x.mul(-1);
        NDArray stacked = NDArray.stack(c.axis(), x, y);
        Close.assertSame(stacked.select(c.axis(), 0), c.x().ref(), "first of stack of " + c);
        Close.assertSame(stacked.select(c.axis(), 1), c.x().ref().map(v -> -v), "second of stack of " + c);
    }

    @Property
    void indexSelectAndGatherReadTheNamedElements(@ForAll("cases") Case c) {
        NDArray x = c.x().array();
        int size = x.size(c.axis());
        Assume.that(size > 0);
        Generator g = new Generator(c.seed());
        double[] picks = new double[1 + g.nextInt(2 * size)];
        Arrays.setAll(picks, i -> g.nextInt(size));
        NDArray selected = x.indexSelect(c.axis(), NDArray.of(picks, picks.length));
        for (int j = 0; j < picks.length; j++) {
            int p = (int) picks[j];
            Close.assertSame(selected.select(c.axis(), j), squeeze(c.x().ref().slice(c.axis(), p, p + 1, 1), c.axis()),
                    "indexSelect " + j + " of " + c);
        }
        int[] indexShape = x.shape();
        double[] index = new double[Ref.numel(indexShape)];
        Arrays.setAll(index, i -> g.nextInt(size));
        NDArray gathered = x.gather(c.axis(), NDArray.of(index, indexShape));
        double[] expected = new double[index.length];
        for (int k = 0; k < index.length; k++) {
            int[] at = Ref.unravel(k, indexShape);
            at[c.axis()] = (int) index[k];
            expected[k] = c.x().ref().at(at);
        }
        Close.assertSame(gathered, new Ref(expected, indexShape), "gather of " + c);
        // scatterAdd is gather's transpose: <gather(x, i), y> = <x, scatterAdd(0, i, y)>.
        NDArray y = NDArray.randn(g, DType.FLOAT64, indexShape);
        NDArray scattered = NDArray.zeros(DType.FLOAT64, x.shape()).scatterAddInPlace(c.axis(), NDArray.of(index, indexShape), y);
        assertEquals(gathered.to(DType.FLOAT64).mul(y).sum().item(), x.to(DType.FLOAT64).mul(scattered).sum().item(), 1e-9,
                "scatterAdd is the adjoint of gather for " + c);
    }

    private static Ref squeeze(Ref r, int axis) {
        int[] shape = new int[r.shape().length - 1];
        for (int d = 0, k = 0; d < r.shape().length; d++) {
            if (d != axis) {
                shape[k++] = r.shape()[d];
            }
        }
        return new Ref(r.data(), shape);
    }

    @Test
    void indexAddAccumulatesRepeatedIndices() {
        NDArray target = NDArray.zeros(DType.FLOAT64, 3, 2);
        target.indexAddInPlace(0, NDArray.of(new double[] {2, 0, 2}, 3), NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
        assertArrayEquals(new double[] {3, 4, 0, 0, 6, 8}, target.toDoubleArray());
    }

    @Test
    void oneHotMarksTheClass() {
        NDArray labels = NDArray.of(new double[] {2, 0, 1}, 3);
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, labels.oneHot(3).toDoubleArray());
        assertArrayEquals(new int[] {3, 3}, labels.oneHot(3).shape());
    }
}
