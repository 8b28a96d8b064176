package dev.vectorgrad.engine;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Shapes, dtypes and arrays for the engine's properties. Arrays come in every layout a kernel meets:
 * contiguous, transposed (a permuted view), sliced with a step, and broadcast by expand, each paired with
 * the reference's copy of the same elements. Shapes are drawn from integer lists so failures shrink to
 * the smallest shape.
 */
final class EngineArbitraries {

    private EngineArbitraries() {
    }

    static Arbitrary<DType> dtypes() {
        return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
    }

    /** Shapes of rank 0 to {@code maxRank}, dimensions 0 to {@code maxDim} with 0 rare and 1 common. */
    static Arbitrary<int[]> shapes(int maxRank, int maxDim) {
        Arbitrary<Integer> dims = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(12, Arbitraries.integers().between(2, maxDim)));
        return dims.list().ofMaxSize(maxRank).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Pairs of shapes that broadcast together: the second drops leading dimensions or has some set to 1. */
    static Arbitrary<int[][]> broadcastPairs(int maxRank, int maxDim) {
        return Combinators.combine(shapes(maxRank, maxDim), Arbitraries.integers().between(0, maxRank),
                        Arbitraries.longs()).as((full, drop, seed) -> {
                    Generator g = new Generator(seed);
                    int[] other = Arrays.copyOfRange(full, Math.min(drop, full.length), full.length);
                    int[] first = full.clone();
                    for (int d = 0; d < other.length; d++) {
                        if (g.nextInt(3) == 0) {
                            other[d] = 1;
                        }
                    }
                    for (int d = 0; d < first.length; d++) {
                        if (g.nextInt(4) == 0) {
                            first[d] = 1;
                        }
                    }
                    return g.nextInt(2) == 0 ? new int[][] {first, other} : new int[][] {other, first};
                });
    }

    /** An array of the given shape in a random layout, values normal with the given scale and shift. */
    static Arbitrary<Sample> samples(DType dtype, int[] shape) {
        return Combinators.combine(Arbitraries.of(Layout.values()), Arbitraries.longs())
                .as((layout, seed) -> sample(layout, dtype, shape, new Generator(seed)));
    }

    static Arbitrary<Sample> samples(int maxRank, int maxDim) {
        return Combinators.combine(dtypes(), shapes(maxRank, maxDim)).flatAs(EngineArbitraries::samples);
    }

    enum Layout { CONTIGUOUS, PERMUTED, STEPPED, EXPANDED }

    static Sample sample(Layout layout, DType dtype, int[] shape, Generator g) {
        int rank = shape.length;
        switch (layout) {
            case PERMUTED -> {
                // Store the data reversed in axis order, then permute back: every stride is out of order.
                int[] reversed = new int[rank];
                int[] back = new int[rank];
                for (int d = 0; d < rank; d++) {
                    reversed[d] = shape[rank - 1 - d];
                    back[d] = rank - 1 - d;
                }
                Sample base = sample(Layout.CONTIGUOUS, dtype, reversed, g);
                return new Sample(base.array().permute(back), base.ref().permute(back), "permuted");
            }
            case STEPPED -> {
                if (rank == 0) {
                    return sample(Layout.CONTIGUOUS, dtype, shape, g);
                }
                int axis = g.nextInt(rank);
                int[] wide = shape.clone();
                wide[axis] = 2 * shape[axis] + 1;
                Sample base = sample(Layout.CONTIGUOUS, dtype, wide, g);
                return new Sample(base.array().slice(axis, 1, wide[axis], 2),
                        base.ref().slice(axis, 1, wide[axis], 2), "stepped(axis " + axis + ")");
            }
            case EXPANDED -> {
                int[] narrow = shape.clone();
                for (int d = 0; d < rank; d++) {
                    if (g.nextInt(2) == 0) {
                        narrow[d] = 1;
                    }
                }
                Sample base = sample(Layout.CONTIGUOUS, dtype, narrow, g);
                return new Sample(base.array().expand(shape), base.ref().broadcastTo(shape), "expanded");
            }
            default -> {
                double[] values = new double[Ref.numel(shape)];
                for (int k = 0; k < values.length; k++) {
                    values[k] = round(dtype, g.nextGaussian());
                }
                return new Sample(NDArray.of(values, shape).to(dtype), new Ref(values, shape), "contiguous");
            }
        }
    }

    /** The value a double becomes when stored in {@code dtype}, so that the reference sees the same inputs. */
    static double round(DType dtype, double x) {
        return dtype == DType.FLOAT32 ? (float) x : x;
    }

    static List<DType> bothDtypes() {
        return List.of(DType.FLOAT32, DType.FLOAT64);
    }
}
