package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The fused optimizer updates against their formulas written out per element in double (PyTorch's
 * documented algorithms), over runs straddling the vector length at misaligned offsets and over
 * permuted, stepped and broadcast layouts; the vector body against the scalar tail bit for bit; norms
 * against the textbook sum.
 */
class UpdatesProperties {

    /** The optimizer, with flags whose meaning each case gives. */
    enum Case {
        SGD, ADAM, RMSPROP, ADAGRAD
    }

    /** Hyper-parameters drawn from the seed: gradient sign, weight decay, learning rate, three flags. */
    record Hyper(double sign, double wd, double lr, boolean flag1, boolean flag2, boolean flag3) {
        static Hyper draw(Generator g) {
            return new Hyper(g.nextInt(4) == 0 ? -1 : 1, g.nextInt(2) == 0 ? 0 : 0.05, 0.01 + 0.5 * g.nextDouble(),
                    g.nextInt(2) == 0, g.nextInt(2) == 0, g.nextInt(2) == 0);
        }
    }

    private static final double MU = 0.9, DAMPENING = 0.1, BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8, ALPHA = 0.99,
            STEP_SIZE = 0.05, BC2_SQRT = 0.3, ADAM_SCALE = 0.995;

    /**
     * Runs the engine update of {@code c}. States: {@code s[0]} signed, {@code s[1] > s[0]²}, {@code s[2] >= 0}.
     * SGD: momentum buffer s[0] when flag1 (first step when flag2, Nesterov when flag3); Adam: m s[0], v s[1], vMax s[2] when
     * flag1 (AMSGrad), AdamW's scaling when flag2; RMSprop: gradAvg s[0] when flag1 (centered), squareAvg
     * s[1], buffer s[2] when flag2; Adagrad: sum s[1].
     */
    static void engine(Case c, Hyper h, NDArray p, NDArray g, NDArray[] s) {
        switch (c) {
            case SGD -> Updates.sgd(p, g, h.flag1() ? s[0] : null, h.flag2(), h.sign(), h.wd(), MU, DAMPENING,
                    h.flag3(), h.lr());
            case ADAM -> Updates.adam(p, g, s[0], s[1], h.flag1() ? s[2] : null, h.sign(), h.flag2() ? ADAM_SCALE : 1,
                    h.flag2() ? 0 : h.wd(), BETA1, BETA2, STEP_SIZE, BC2_SQRT, EPS);
            case RMSPROP -> Updates.rmsprop(p, g, s[1], h.flag1() ? s[0] : null, h.flag2() ? s[2] : null, h.sign(),
                    h.wd(), ALPHA, EPS, MU, h.lr());
            case ADAGRAD -> Updates.adagrad(p, g, s[1], h.sign(), h.wd(), h.lr(), EPS);
        }
    }

    /** The same update of element {@code i} on doubles, the slow, obvious way. */
    static void reference(Case c, Hyper h, double[] p, double[] g, double[][] s, int i) {
        double x = c == Case.ADAM && h.flag2() ? p[i] * ADAM_SCALE : p[i];
        double wd = c == Case.ADAM && h.flag2() ? 0 : h.wd();
        double d = h.sign() * g[i] + wd * x;
        switch (c) {
            case SGD -> {
                if (h.flag1()) {
                    s[0][i] = h.flag2() ? d : MU * s[0][i] + (1 - DAMPENING) * d;
                    d = h.flag3() ? d + MU * s[0][i] : s[0][i];
                }
                p[i] = x - h.lr() * d;
            }
            case ADAM -> {
                s[0][i] = BETA1 * s[0][i] + (1 - BETA1) * d;
                s[1][i] = BETA2 * s[1][i] + (1 - BETA2) * d * d;
                double second = s[1][i];
                if (h.flag1()) {
                    s[2][i] = Math.max(s[2][i], s[1][i]);
                    second = s[2][i];
                }
                p[i] = x - STEP_SIZE * s[0][i] / (Math.sqrt(second) / BC2_SQRT + EPS);
            }
            case RMSPROP -> {
                s[1][i] = ALPHA * s[1][i] + (1 - ALPHA) * d * d;
                double variance = s[1][i];
                if (h.flag1()) {
                    s[0][i] = ALPHA * s[0][i] + (1 - ALPHA) * d;
                    variance -= s[0][i] * s[0][i];
                }
                double avg = Math.sqrt(variance) + EPS;
                if (h.flag2()) {
                    s[2][i] = MU * s[2][i] + d / avg;
                    p[i] = x - h.lr() * s[2][i];
                } else {
                    p[i] = x - h.lr() * d / avg;
                }
            }
            case ADAGRAD -> {
                s[1][i] += d * d;
                p[i] = x - h.lr() * d / (Math.sqrt(s[1][i]) + EPS);
            }
        }
    }

    /** The states' start values for the flat size {@code n}, rounded to {@code dtype}. */
    static double[][] states(DType dtype, int n, Generator g) {
        double[][] s = new double[3][n];
        for (int i = 0; i < n; i++) {
            s[0][i] = EngineArbitraries.round(dtype, g.nextGaussian());
            // At least s[0]² + 0.5: centered RMSprop's sqrt(s[1] - s[0]²) stays clear of cancellation.
            s[1][i] = EngineArbitraries.round(dtype, s[0][i] * s[0][i] + 0.5 + Math.abs(g.nextGaussian()));
            s[2][i] = EngineArbitraries.round(dtype, Math.abs(g.nextGaussian()));
        }
        return s;
    }

    static NDArray[] arrays(DType dtype, double[][] s, int[] shape) {
        return Arrays.stream(s).map(v -> NDArray.of(v, shape).to(dtype)).toArray(NDArray[]::new);
    }

    /** Runs the case on the engine and the reference and compares parameter and states. */
    static void check(Case c, Hyper h, Sample param, Sample grad, Generator g, String what) {
        DType t = param.array().dtype();
        int[] shape = param.array().shape();
        int n = param.ref().numel();
        double[][] s = states(t, n, g);
        NDArray[] states = arrays(t, s, shape);
        double[] p = param.ref().data().clone(), gr = grad.ref().data();
        engine(c, h, param.array(), grad.array(), states);
        for (int i = 0; i < n; i++) {
            reference(c, h, p, gr, s, i);
        }
        double tol = t == DType.FLOAT32 ? 2e-5 : 1e-12;
        Close.assertClose(param.array(), new Ref(p, shape), tol, tol, c + " " + h + " param " + what);
        for (int k = 0; k < 3; k++) {
            Close.assertClose(states[k], new Ref(s[k], shape), tol, tol, c + " " + h + " state " + k + " " + what);
        }
    }

    record Run(DType dtype, int length, int offset, long seed) {
        @Override
        public String toString() {
            return dtype + " length " + length + " at offset " + offset;
        }

        /** A run of {@code length} normal values at {@code offset} in a longer array. */
        Sample sample(Generator g) {
            double[] values = new double[offset + length];
            Arrays.setAll(values, i -> EngineArbitraries.round(dtype, g.nextGaussian()));
            return new Sample(NDArray.of(values, values.length).to(dtype).slice(0, offset, offset + length),
                    new Ref(Arrays.copyOfRange(values, offset, offset + length), new int[] {length}), "offset " + offset);
        }
    }

    @Provide
    Arbitrary<Run> runs() {
        return Combinators.combine(EngineArbitraries.dtypes(),
                        Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.integers().between(0, 140)),
                                Tuple.of(1, Arbitraries.integers().between(1000, 1100))),
                        Arbitraries.integers().between(0, 3), Arbitraries.longs())
                .as(Run::new);
    }

    @Property(tries = 200)
    void runsStraddlingTheVectorLength(@ForAll Case c, @ForAll("runs") Run r) {
        Generator g = new Generator(r.seed());
        Hyper h = Hyper.draw(g);
        check(c, h, r.sample(g), r.sample(g), g, r.toString());
    }

    @Property(tries = 150)
    void anyLayoutOfParameterAndGradient(@ForAll Case c, @ForAll("dtypes") DType paramType, @ForAll("dtypes") DType gradType,
                                         @ForAll("shapes") int[] shape, @ForAll("writable") EngineArbitraries.Layout pl,
                                         @ForAll EngineArbitraries.Layout gl, @ForAll long seed) {
        Generator g = new Generator(seed);
        Hyper h = Hyper.draw(g);
        Sample param = EngineArbitraries.sample(pl, paramType, shape, g);
        Sample grad = EngineArbitraries.sample(gl, gradType, shape, g);
        // A FLOAT64 gradient of a FLOAT32 parameter is rounded to FLOAT32 first, as the reference must see it.
        Sample rounded = new Sample(grad.array(), grad.ref().map(x -> EngineArbitraries.round(paramType, x)), grad.layout());
        int version = param.array().version();
        check(c, h, param, rounded, g, param + " grad " + grad);
        assertEquals(version + 1, param.array().version(), "one in-place write of the parameter");
    }

    @Property(tries = 100)
    void vectorBodyAndScalarTailAgreeBitForBit(@ForAll Case c, @ForAll("runs") Run r) {
        Generator g = new Generator(r.seed());
        Hyper h = Hyper.draw(g);
        Sample p = r.sample(g), grad = r.sample(g);
        double[][] s = states(r.dtype(), r.length(), g);
        NDArray whole = p.array().copy();
        NDArray[] wholeStates = arrays(r.dtype(), s, new int[] {r.length()});
        engine(c, h, whole, grad.array(), wholeStates);
        NDArray single = p.array().copy();
        NDArray[] singleStates = arrays(r.dtype(), s, new int[] {r.length()});
        for (int i = 0; i < r.length(); i++) {
            int at = i;
            engine(c, h, single.slice(0, i, i + 1), grad.array().slice(0, i, i + 1),
                    Arrays.stream(singleStates).map(a -> a.slice(0, at, at + 1)).toArray(NDArray[]::new));
        }
        assertArrayEquals(whole.toDoubleArray(), single.toDoubleArray(), c + " " + h + " " + r);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(wholeStates[k].toDoubleArray(), singleStates[k].toDoubleArray(), c + " state " + k + " " + r);
        }
    }

    @Property(tries = 200)
    void normsOfEveryOrder(@ForAll("runs") Run r, @ForAll("orders") double order) {
        Sample a = r.sample(new Generator(r.seed()));
        double[] v = a.ref().data();
        double expected = order == Double.POSITIVE_INFINITY ? Arrays.stream(v).map(Math::abs).max().orElse(0)
                : Math.pow(Arrays.stream(v).map(x -> Math.pow(Math.abs(x), order)).sum(), 1 / order);
        double tol = r.dtype() == DType.FLOAT32 ? 1e-4 : 1e-12;
        assertEquals(expected, Updates.norm(a.array(), order), tol * expected, "norm " + order + " " + r);
        NDArray stepped = NDArray.stack(0, a.array(), a.array()).transpose(0, 1);
        assertEquals(expected * Math.pow(2, order == Double.POSITIVE_INFINITY ? 0 : 1 / order),
                Updates.norm(stepped, order), 2 * tol * expected, "norm of a transposed view " + r);
    }

    @Property(tries = 100)
    void scaleAndClampInPlace(@ForAll("samples") Sample a, @ForAll long seed) {
        Generator g = new Generator(seed);
        double s = g.nextGaussian(), bound = Math.abs(g.nextGaussian());
        DType t = a.array().dtype();
        Ref scaled = a.ref().map(v -> EngineArbitraries.round(t, v * EngineArbitraries.round(t, s)));
        Updates.scaleInPlace(a.array(), s);
        Close.assertSame(a.array(), scaled, "scaleInPlace " + a);
        Updates.clampInPlace(a.array(), -bound, bound);
        Close.assertSame(a.array(), scaled.map(v -> Math.min(Math.max(v, EngineArbitraries.round(t, -bound)),
                EngineArbitraries.round(t, bound))), "clampInPlace " + a);
    }

    @Provide
    Arbitrary<DType> dtypes() {
        return EngineArbitraries.dtypes();
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return EngineArbitraries.shapes(3, 6);
    }

    /** The layouts a parameter can have: anything but a broadcast view, which cannot be written in place. */
    @Provide
    Arbitrary<EngineArbitraries.Layout> writable() {
        return Arbitraries.of(EngineArbitraries.Layout.CONTIGUOUS, EngineArbitraries.Layout.PERMUTED,
                EngineArbitraries.Layout.STEPPED);
    }

    @Provide
    Arbitrary<Sample> samples() {
        return Combinators.combine(EngineArbitraries.dtypes(), EngineArbitraries.shapes(3, 6), writable(), Arbitraries.longs())
                .as((t, shape, layout, seed) -> EngineArbitraries.sample(layout, t, shape, new Generator(seed)));
    }

    @Provide
    Arbitrary<Double> orders() {
        return Arbitraries.of(1.0, 2.0, 3.0, 0.5, Double.POSITIVE_INFINITY);
    }
}
