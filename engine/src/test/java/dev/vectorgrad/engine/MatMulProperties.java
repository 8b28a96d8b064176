package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.engine.kernels.FloatGemm;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The blocked GEMM against a plain triple loop: sizes around the register tile (MR rows, NR columns) and
 * the cache blocks, operands contiguous, transposed or strided, both dtypes, and 1 or 2 threads giving
 * the same bits. Each element may differ from the exact dot product by k ulps of the sum of magnitudes.
 */
class MatMulProperties {

    /**
     * Sizes that straddle the micro-tile, the vector (half a tile's width: the block a transposed operand is
     * packed by) and the MC block, small ones much more often.
     */
    static Arbitrary<Integer> sizes() {
        int mr = FloatGemm.MR, nr = FloatGemm.NR;
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(1, 2, 3, 5, 7, 11, 13, mr - 1, mr, mr + 1, nr / 2 - 1, nr / 2 + 1,
                        nr - 1, nr, nr + 1, 2 * nr + 3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(63, 64, 65, 255, 256, 257)));
    }

    /** Inner dimensions: the sizes, and now and then one that straddles a multiple of KC (k is cut into chunks). */
    static Arbitrary<Integer> depths() {
        int kc = FloatGemm.KC;
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, sizes()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(kc - 1, kc, kc + 1, 2 * kc + 5)));
    }

    enum Layout { PLAIN, TRANSPOSED, STRIDED }

    record Operand(NDArray array, double[] rowMajor, Layout layout) {
    }

    record Case(Operand a, Operand b, int m, int k, int n, int threads) {
        @Override
        public String toString() {
            return a.array().dtype() + " [" + m + ", " + k + "] (" + a.layout() + ") x [" + k + ", " + n + "] ("
                    + b.layout() + "), " + threads + " thread(s)";
        }
    }

    static Operand operand(DType dtype, int rows, int cols, Layout layout, Generator g) {
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = EngineArbitraries.round(dtype, g.nextGaussian());
        }
        NDArray plain = NDArray.of(values, rows, cols).to(dtype);
        NDArray array = switch (layout) {
            case PLAIN -> plain;
            case TRANSPOSED -> plain.transpose(0, 1).contiguous().transpose(0, 1);
            case STRIDED -> {
                NDArray wide = NDArray.zeros(dtype, rows, 2 * cols);
                wide.slice(1, 0, 2 * cols, 2).copyFrom(plain);
                yield wide.slice(1, 0, 2 * cols, 2);
            }
        };
        return new Operand(array, values, layout);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(sizes(), depths(), sizes(), EngineArbitraries.dtypes(),
                        Arbitraries.of(Layout.values()), Arbitraries.of(Layout.values()), Arbitraries.of(1, 2),
                        Arbitraries.longs())
                .as((m, k, n, dtype, la, lb, threads, seed) -> {
                    Generator g = new Generator(seed);
                    return new Case(operand(dtype, m, k, la, g), operand(dtype, k, n, lb, g), m, k, n, threads);
                });
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Property(tries = 120)
    void matchesTheTripleLoop(@ForAll("cases") Case c) {
        Parallel.setThreads(c.threads());
        NDArray product = c.a().array().matmul(c.b().array());
        double[] expected = new double[c.m() * c.n()];
        double[] magnitude = new double[c.m() * c.n()];
        for (int i = 0; i < c.m(); i++) {
            for (int j = 0; j < c.n(); j++) {
                for (int p = 0; p < c.k(); p++) {
                    double term = c.a().rowMajor()[i * c.k() + p] * c.b().rowMajor()[p * c.n() + j];
                    expected[i * c.n() + j] += term;
                    magnitude[i * c.n() + j] += Math.abs(term);
                }
            }
        }
        double ulp = Close.ulps(product.dtype(), 2 * c.k() + 2);
        double[] got = product.toDoubleArray();
        for (int e = 0; e < got.length; e++) {
            if (!(Math.abs(got[e] - expected[e]) <= ulp * magnitude[e])) {
                throw new AssertionError("matmul " + c + ": element [" + e / c.n() + ", " + e % c.n() + "] is " + got[e]
                        + ", expected " + expected[e] + " within " + ulp * magnitude[e]);
            }
        }
    }

    @Property(tries = 20)
    void oneAndTwoThreadsGiveTheSameBits(@ForAll("large") Case c) {
        Parallel.setThreads(1);
        float[] one = c.a().array().matmul(c.b().array()).toFloatArray();
        Parallel.setThreads(2);
        float[] two = c.a().array().matmul(c.b().array()).toFloatArray();
        assertArrayEquals(one, two, c.toString());
    }

    /** Products above the threshold at which the work is split between threads, some with k in two chunks. */
    @Provide
    Arbitrary<Case> large() {
        Arbitrary<Integer> depth = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(60, 140)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(FloatGemm.KC + 1, FloatGemm.KC + 140)));
        return Combinators.combine(Arbitraries.integers().between(100, 170), depth,
                        Arbitraries.integers().between(100, 170), Arbitraries.of(Layout.values()), Arbitraries.of(Layout.values()),
                        Arbitraries.longs())
                .as((m, k, n, la, lb, seed) -> {
                    Generator g = new Generator(seed);
                    return new Case(operand(DType.FLOAT32, m, k, la, g), operand(DType.FLOAT32, k, n, lb, g), m, k, n, 2);
                });
    }

    @Test
    void followsNumPyForVectorsAndBatches() {
        NDArray a = NDArray.arange(DType.FLOAT64, 0, 24, 1).reshape(2, 1, 3, 4);
        NDArray b = NDArray.arange(DType.FLOAT64, 0, 40, 1).reshape(5, 4, 2);
        Ref expected = new Ref(a.toDoubleArray(), a.shape()).matmul(new Ref(b.toDoubleArray(), b.shape()));
        Close.assertSame(a.matmul(b), expected, "batched matmul with broadcast batch dimensions");
        NDArray v = NDArray.of(new double[] {1, 2, 3, 4}, 4);
        assertArrayEquals(new int[] {2, 1, 3}, a.matmul(v).shape());
        assertArrayEquals(new int[] {5, 2}, v.matmul(b).shape());
        assertArrayEquals(new double[] {30}, v.matmul(v).reshape(1).toDoubleArray());
        assertArrayEquals(new int[] {}, v.matmul(v).shape());
    }

    @Test
    void mixedDtypesPromoteToFloat64() {
        NDArray a = NDArray.ones(DType.FLOAT32, 2, 3);
        NDArray b = NDArray.ones(DType.FLOAT64, 3, 2);
        assertArrayEquals(new double[] {3, 3, 3, 3}, a.matmul(b).toDoubleArray());
        org.junit.jupiter.api.Assertions.assertEquals(DType.FLOAT64, a.matmul(b).dtype());
    }

    @Test
    void rejectsMismatchedInnerDimensions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(2, 3).matmul(NDArray.zeros(4, 5)));
        org.junit.jupiter.api.Assertions.assertEquals(
                "matmul: cannot multiply [2, 3] by [4, 5] (inner dimensions 3 and 4 differ)", e.getMessage());
    }
}
