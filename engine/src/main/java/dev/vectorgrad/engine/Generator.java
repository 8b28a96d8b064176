package dev.vectorgrad.engine;

/**
 * A seeded source of random numbers (SplitMix64). The same seed gives the same numbers on every
 * machine, JDK and thread count: the sequence is pure integer arithmetic, and normal draws use
 * {@link StrictMath}, whose results are fixed by its specification.
 *
 * <pre>{@code
 * Generator g = new Generator(42);
 * NDArray w = NDArray.randn(g, 3, 4);
 * }</pre>
 */
public final class Generator {

    private long state;

    public Generator(long seed) {
        this.state = seed;
    }

    /**
     * The whole state (PyTorch's {@code get_state}): a generator given it by {@link #setState(long)} draws
     * the numbers this one draws next, which is what a checkpoint needs to resume shuffling and dropout.
     */
    public long getState() {
        return state;
    }

    /** Continues from a state that {@link #getState()} returned (PyTorch's {@code set_state}). */
    public void setState(long state) {
        this.state = state;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in {@code [0, 1)} with 24 random bits: exactly representable as a float, never 1. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in {@code [0, bound)}. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** A standard normal draw (Box-Muller on two uniform draws). */
    public double nextGaussian() {
        double u = 1 - nextDouble();
        double v = nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * StrictMath.PI * v);
    }
}
