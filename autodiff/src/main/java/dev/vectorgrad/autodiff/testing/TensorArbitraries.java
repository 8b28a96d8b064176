package dev.vectorgrad.autodiff.testing;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Shapes and tensors for property-based tests of differentiable ops. Shapes are drawn as jqwik lists of
 * dimensions, so a failing case shrinks to fewer and smaller dimensions; tensor values come from a seeded
 * {@link Generator}, so a failure reproduces from jqwik's reported seed.
 *
 * <pre>{@code
 * Arbitrary<Tensor> xs = TensorArbitraries.tensors(TensorArbitraries.shapes(1, 3, 5));
 * Arbitrary<Tensor[]> pairs = TensorArbitraries.broadcastPairs(3, 4).flatMap(TensorArbitraries::tensorPair);
 * }</pre>
 */
public final class TensorArbitraries {

    private TensorArbitraries() {
    }

    /**
     * Shapes of rank {@code minRank..maxRank} with dimensions {@code 1..maxDim}.
     *
     * <pre>{@code
     * Arbitrary<int[]> shapes = TensorArbitraries.shapes(0, 3, 4);   // [], [3], [1, 4, 2], ...
     * }</pre>
     */
    public static Arbitrary<int[]> shapes(int minRank, int maxRank, int maxDim) {
        return Arbitraries.integers().between(1, maxDim).list().ofMinSize(minRank).ofMaxSize(maxRank)
                .map(dims -> dims.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Two shapes that broadcast together as in NumPy: the second drops some leading dimensions of the
     * first and sets some others to 1 (and, at random, the two swap places).
     *
     * <pre>{@code
     * Arbitrary<int[][]> pairs = TensorArbitraries.broadcastPairs(3, 4);   // {[2, 3], [1, 3]}, {[4], [2, 4]}, ...
     * }</pre>
     */
    public static Arbitrary<int[][]> broadcastPairs(int maxRank, int maxDim) {
        return Combinators.combine(shapes(0, maxRank, maxDim), Arbitraries.integers().between(0, maxRank),
                        Arbitraries.integers().between(0, (1 << maxRank) - 1), Arbitraries.of(false, true))
                .as((full, drop, ones, swap) -> {
                    int[] other = Arrays.copyOfRange(full, Math.min(drop, full.length), full.length);
                    for (int d = 0; d < other.length; d++) {
                        if ((ones >> d & 1) == 1) {
                            other[d] = 1;
                        }
                    }
                    return swap ? new int[][] {other, full} : new int[][] {full, other};
                });
    }

    /** How a generated tensor's elements lie in memory. */
    public enum Layout {
        /** Row-major without gaps. */
        CONTIGUOUS,
        /** A permuted view: the axes stored in reverse order. */
        TRANSPOSED,
        /** A slice with step 2 along the last axis of a wider array. */
        STRIDED
    }

    /**
     * FLOAT64 leaf tensors that require a gradient, standard normal values, in any {@link Layout}.
     *
     * <pre>{@code
     * Arbitrary<Tensor> xs = TensorArbitraries.tensors(TensorArbitraries.shapes(1, 2, 3));
     * }</pre>
     */
    public static Arbitrary<Tensor> tensors(Arbitrary<int[]> shapes) {
        return shapes.flatMap(TensorArbitraries::tensors);
    }

    /**
     * Tensors of one shape, FLOAT64, requiring a gradient, in any layout.
     *
     * <pre>{@code
     * Arbitrary<Tensor> xs = TensorArbitraries.tensors(new int[] {2, 3});
     * }</pre>
     */
    public static Arbitrary<Tensor> tensors(int[] shape) {
        return tensors(shape, DType.FLOAT64);
    }

    /**
     * Tensors of one shape and dtype, requiring a gradient, in any layout: FLOAT32 ones for forward
     * properties, since gradient checks need FLOAT64.
     *
     * <pre>{@code
     * Arbitrary<Tensor> xs = TensorArbitraries.dtypes().flatMap(d -> TensorArbitraries.tensors(new int[] {2, 3}, d));
     * }</pre>
     */
    public static Arbitrary<Tensor> tensors(int[] shape, DType dtype) {
        return Combinators.combine(Arbitraries.of(Layout.values()), Arbitraries.longs())
                .as((layout, seed) -> leaf(array(shape, dtype, layout, new Generator(seed))));
    }

    /**
     * Either dtype.
     *
     * <pre>{@code
     * Arbitrary<DType> d = TensorArbitraries.dtypes();
     * }</pre>
     */
    public static Arbitrary<DType> dtypes() {
        return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
    }

    /**
     * Two FLOAT64 tensors for a pair of shapes, each in its own layout.
     *
     * <pre>{@code
     * Arbitrary<Tensor[]> ab = TensorArbitraries.broadcastPairs(3, 4).flatMap(TensorArbitraries::tensorPair);
     * }</pre>
     */
    public static Arbitrary<Tensor[]> tensorPair(int[][] shapes) {
        // One generator for both, so that the two never hold the same values (ties break max and min).
        return Combinators.combine(Arbitraries.of(Layout.values()), Arbitraries.of(Layout.values()), Arbitraries.longs())
                .as((la, lb, seed) -> {
                    Generator g = new Generator(seed);
                    return new Tensor[] {leaf(array(shapes[0], DType.FLOAT64, la, g)), leaf(array(shapes[1], DType.FLOAT64, lb, g))};
                });
    }

    private static Tensor leaf(NDArray value) {
        return Tensor.of(value).requiresGrad(true);
    }

    /**
     * A standard normal array of {@code shape} laid out as asked: the building block of {@link #tensors}.
     *
     * <pre>{@code
     * NDArray x = TensorArbitraries.array(new int[] {3, 4}, DType.FLOAT32, Layout.STRIDED, new Generator(7));
     * }</pre>
     */
    public static NDArray array(int[] shape, DType dtype, Layout layout, Generator g) {
        int rank = shape.length;
        if (rank == 0 || layout == Layout.CONTIGUOUS) {
            return NDArray.randn(g, dtype, shape);
        }
        if (layout == Layout.TRANSPOSED) {
            int[] reversed = new int[rank];
            int[] back = new int[rank];
            for (int d = 0; d < rank; d++) {
                reversed[d] = shape[rank - 1 - d];
                back[d] = rank - 1 - d;
            }
            return NDArray.randn(g, dtype, reversed).permute(back);
        }
        int[] wide = shape.clone();
        wide[rank - 1] = 2 * shape[rank - 1];
        return NDArray.randn(g, dtype, wide).slice(rank - 1, 0, wide[rank - 1], 2);
    }
}
