package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Views read the right elements from any layout, and share storage with their base: writing through a
 * view changes the base. Copies happen only when a layout cannot be expressed with strides.
 */
class ViewProperties {

    record Case(Sample x, long seed) {
        @Override
        public String toString() {
            return x + " seed " + seed;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(EngineArbitraries.samples(4, 6), Arbitraries.longs()).as(Case::new);
    }

    @Property
    void contiguousAndToDoubleArrayReadRowMajorOrder(@ForAll("cases") Case c) {
        NDArray packed = c.x().array().contiguous();
        assertTrue(packed.isContiguous());
        Close.assertSame(packed, c.x().ref(), "contiguous(" + c + ")");
        if (c.x().array().isContiguous()) {
            assertSame(c.x().array(), packed, "contiguous() of a contiguous array is the array itself");
        }
    }

    @Property
    void permuteAndTranspose(@ForAll("cases") Case c) {
        int rank = c.x().array().dim();
        Generator g = new Generator(c.seed());
        int[] dims = Ref.range(rank);
        for (int i = rank - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            int t = dims[i];
            dims[i] = dims[j];
            dims[j] = t;
        }
        Close.assertSame(c.x().array().permute(dims), c.x().ref().permute(dims), "permute" + Arrays.toString(dims) + "(" + c + ")");
        if (rank >= 2) {
            int[] swap = Ref.range(rank);
            swap[0] = rank - 1;
            swap[rank - 1] = 0;
            Close.assertSame(c.x().array().transpose(0, -1), c.x().ref().permute(swap), "transpose(" + c + ")");
        }
    }

    @Property
    void sliceWithStepAndSelect(@ForAll("cases") Case c) {
        int rank = c.x().array().dim();
        Assume.that(rank > 0);
        Generator g = new Generator(c.seed());
        int axis = g.nextInt(rank);
        int size = c.x().array().size(axis);
        int start = g.nextInt(size + 1), end = start + g.nextInt(size - start + 1), step = 1 + g.nextInt(3);
        Close.assertSame(c.x().array().slice(axis, start, end, step), c.x().ref().slice(axis, start, end, step),
                "slice(" + axis + ", " + start + ", " + end + ", " + step + ") of " + c);
        Assume.that(size > 0);
        int index = g.nextInt(size);
        Ref one = c.x().ref().slice(axis, index, index + 1, 1);
        int[] squeezed = new int[rank - 1];
        for (int d = 0, k = 0; d < rank; d++) {
            if (d != axis) {
                squeezed[k++] = one.shape()[d];
            }
        }
        Close.assertSame(c.x().array().select(axis, index), new Ref(one.data(), squeezed), "select(" + axis + ", " + index + ") of " + c);
    }

    @Property
    void reshapeKeepsRowMajorOrderAndIsAViewWhenContiguous(@ForAll("cases") Case c) {
        NDArray x = c.x().array();
        int n = x.numel();
        NDArray flat = x.reshape(-1);
        Close.assertSame(flat, new Ref(c.x().ref().data(), new int[] {n}), "reshape(-1) of " + c);
        Close.assertSame(x.flatten(), new Ref(c.x().ref().data(), new int[] {n}), "flatten of " + c);
        Close.assertSame(x.unsqueeze(0).squeeze(0), c.x().ref(), "unsqueeze/squeeze of " + c);
        if (x.isContiguous() && n > 0) {
            NDArray copy = x.copy();
            flat.fill(7);
            assertTrue(Arrays.stream(x.toDoubleArray()).allMatch(v -> v == 7), "reshape of a contiguous array is a view");
            x.copyFrom(copy);
        }
    }

    @Property
    void expandReadsEachElementAgain(@ForAll("cases") Case c) {
        int[] shape = c.x().array().shape();
        int[] bigger = new int[shape.length + 1];
        bigger[0] = 3;
        System.arraycopy(shape, 0, bigger, 1, shape.length);
        Close.assertSame(c.x().array().broadcastTo(bigger), c.x().ref().broadcastTo(bigger), "broadcastTo of " + c);
        int[] strides = c.x().array().broadcastTo(bigger).strides();
        assertEquals(0, strides[0], "a broadcast axis has stride 0");
    }

    @Property
    void toDtypeRoundTripsThroughFloat64(@ForAll("cases") Case c) {
        Close.assertSame(c.x().array().to(DType.FLOAT64).to(c.x().array().dtype()), c.x().ref(), "to of " + c);
    }

    @Test
    void writesThroughAViewReachTheBase() {
        NDArray base = NDArray.zeros(3, 4);
        base.transpose(0, 1).slice(0, 1, 4, 2).fill(5);
        assertArrayEquals(new double[] {0, 5, 0, 5, 0, 5, 0, 5, 0, 5, 0, 5}, base.toDoubleArray());
        NDArray col = base.select(1, 0);
        col.addInPlace(1);
        assertArrayEquals(new double[] {1, 1, 1}, base.select(1, 0).toDoubleArray());
    }

    @Test
    void reshapeOfATransposeCopiesOnlyWhenItMust() {
        NDArray t = NDArray.arange(6).reshape(2, 3).transpose(0, 1);
        NDArray same = t.reshape(3, 2, 1);
        same.fill(9);
        assertEquals(9, t.get(0, 0), "adding a unit axis is a view");
        NDArray flat = t.reshape(6);
        assertNotSame(t, flat);
        flat.fill(-1);
        assertEquals(9, t.get(0, 0), "flattening a transpose needs a copy");
    }
}
