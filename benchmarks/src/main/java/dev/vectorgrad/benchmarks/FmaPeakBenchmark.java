package dev.vectorgrad.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The machine's FLOAT32 FMA peak per core: twelve independent FMA chains on the widest vectors, all in
 * registers, so nothing but the FMA units limits it. {@link Report} divides GEMM figures by this.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FmaPeakBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** FMAs per chain per call; each is S.length() multiply-adds, 2 flops each. */
    public static final int STEPS = 100_000;
    public static final int CHAINS = 12;

    public float seed = 1.0001f;

    @Benchmark
    @Threads(1)
    public float fmaPeak() {
        FloatVector m = FloatVector.broadcast(S, 0.9999f), add = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, seed), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        FloatVector c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        for (int i = 0; i < STEPS; i++) {
            c0 = c0.fma(m, add);
            c1 = c1.fma(m, add);
            c2 = c2.fma(m, add);
            c3 = c3.fma(m, add);
            c4 = c4.fma(m, add);
            c5 = c5.fma(m, add);
            c6 = c6.fma(m, add);
            c7 = c7.fma(m, add);
            c8 = c8.fma(m, add);
            c9 = c9.fma(m, add);
            c10 = c10.fma(m, add);
            c11 = c11.fma(m, add);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** Flops of one call of {@link #fmaPeak()}. */
    public static double flops() {
        return 2.0 * STEPS * CHAINS * S.length();
    }
}
