package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The walk behind every elementwise op, split across threads: each element is visited once, with the
 * operands' offsets the sequential walk gives it, whatever the grain, thread count and layout; and
 * large ops, which split, give the same bits with 1 and 2 threads.
 */
class ElementRunsProperties {

    @AfterProperty
    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Operand 0 is the contiguous output, so that its offset names the element; operands 1 and 2 get
     * arbitrary strides (0 for broadcasting, negative, larger than the shape) and offsets.
     */
    @Property(tries = 300)
    void splitWalkVisitsEveryElementOnceWithTheSequentialOffsets(@ForAll("shapes") int[] shape, @ForAll long seed,
                                                                 @ForAll @IntRange(min = 1, max = 40) int grain,
                                                                 @ForAll @IntRange(min = 1, max = 3) int threads) {
        Generator g = new Generator(seed);
        int[][] strides = {Shape.contiguousStrides(shape), new int[shape.length], new int[shape.length]};
        for (int o = 1; o < 3; o++) {
            for (int d = 0; d < shape.length; d++) {
                strides[o][d] = g.nextInt(3) == 0 ? 0 : g.nextInt(61) - 30;
            }
        }
        int[] offsets = {0, g.nextInt(1000), g.nextInt(1000)};
        int total = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        long[][] sequential = visits(total, body -> ElementRuns.forEach(shape, offsets, strides, body));
        Parallel.setThreads(threads);
        long[][] split = visits(total, body -> ElementRuns.forEachSplit(shape, offsets, strides, grain, body));
        assertArrayEquals(sequential[0], split[0], "operand 1's offset of each element");
        assertArrayEquals(sequential[1], split[1], "operand 2's offset of each element");
        for (int e = 0; e < total; e++) {
            assertEquals(1, split[2][e], "visits of element " + e + " of " + Shape.format(shape));
        }
    }

    /** For each element (operand 0's offset): operand 1's and 2's offsets, and how often it was visited. */
    private static long[][] visits(int total, Consumer<ElementRuns.Body> walk) {
        long[][] seen = new long[3][total];
        walk.accept((off, st, n) -> {
            assertTrue(n > 0, "an empty run");
            for (int k = 0; k < n; k++) {
                int e = off[0] + k * st[0];
                seen[0][e] = off[1] + (long) k * st[1];
                seen[1][e] = off[2] + (long) k * st[2];
                synchronized (seen) {
                    seen[2][e]++;
                }
            }
        });
        return seen;
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return EngineArbitraries.shapes(4, 9);
    }

    /**
     * Ops large enough to split (over 256K elements), on a transposed view, a stepped slice, a broadcast
     * operand and a contiguous slice: the same bits with 1 and 2 threads.
     */
    @Test
    void largeElementwiseOpsGiveTheSameBitsWithOneAndTwoThreads() {
        Generator g = new Generator(5);
        NDArray wide = NDArray.randn(g, DType.FLOAT32, 523, 1031);
        NDArray transposed = wide.transpose(0, 1);
        NDArray stepped = NDArray.randn(g, DType.FLOAT64, 700, 1200).slice(1, 1, 1200, 3);
        NDArray row = NDArray.randn(g, DType.FLOAT32, 523);
        // Contiguous, with an offset: unary ops on it allocate their result beside the first units (StagedOutput).
        NDArray flat = NDArray.randn(g, DType.FLOAT64, 300_007).slice(0, 7, 300_007);
        List<Function<NDArray[], NDArray>> ops = List.of(
                a -> a[0].exp(), a -> a[0].tanh(), a -> a[0].neg(), a -> a[0].gelu(), a -> a[1].sigmoid(),
                a -> a[0].add(a[2]), a -> a[1].mul(a[1]), a -> a[0].abs().pow(a[2].abs()),
                a -> NDArray.where(a[0].gt(0), a[0], a[2]), a -> a[1].contiguous(), a -> a[0].to(DType.FLOAT64),
                a -> a[3].exp(), a -> a[3].relu(), a -> a[3].to(DType.FLOAT32).erf());
        for (int i = 0; i < ops.size(); i++) {
            NDArray[] in = {transposed, stepped, row, flat};
            Parallel.setThreads(1);
            NDArray one = ops.get(i).apply(in);
            Parallel.setThreads(2);
            NDArray two = ops.get(i).apply(in);
            assertTrue(one.numel() >= 1 << 18, "op " + i + " is large enough to split");
            assertArrayEquals(one.toDoubleArray(), two.toDoubleArray(), "op " + i);
        }
    }
}
