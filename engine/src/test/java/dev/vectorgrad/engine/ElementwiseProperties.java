package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every elementwise op against the scalar reference, over broadcast shape pairs, every layout and both
 * dtypes. Arithmetic must be correctly rounded (half an ulp, plus the rounding of the FLOAT32 result);
 * transcendental functions are allowed a few ulps, the Vector API's documented bound. Scalar operands
 * are exact in both dtypes, since a scalar is first rounded to the array's dtype (as in PyTorch).
 */
class ElementwiseProperties {

    record Binary(String name, BiFunction<NDArray, NDArray, NDArray> op, DoubleBinaryOperator ref, int ulps) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Unary(String name, Function<NDArray, NDArray> op, DoubleUnaryOperator ref, int ulps, Domain domain) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Where a unary op's inputs are drawn: its whole domain, or positive numbers only. */
    enum Domain { ANY, POSITIVE }

    static final Binary[] BINARY = {
        new Binary("add", NDArray::add, Double::sum, 1),
        new Binary("sub", NDArray::sub, (x, y) -> x - y, 1),
        new Binary("mul", NDArray::mul, (x, y) -> x * y, 1),
        new Binary("div", NDArray::div, (x, y) -> x / y, 1),
        new Binary("maximum", NDArray::maximum, Math::max, 0),
        new Binary("minimum", NDArray::minimum, Math::min, 0),
        new Binary("eq", NDArray::eq, (x, y) -> x == y ? 1 : 0, 0),
        new Binary("ne", NDArray::ne, (x, y) -> x != y ? 1 : 0, 0),
        new Binary("lt", NDArray::lt, (x, y) -> x < y ? 1 : 0, 0),
        new Binary("le", NDArray::le, (x, y) -> x <= y ? 1 : 0, 0),
        new Binary("gt", NDArray::gt, (x, y) -> x > y ? 1 : 0, 0),
        new Binary("ge", NDArray::ge, (x, y) -> x >= y ? 1 : 0, 0),
    };

    static final Unary[] UNARY = {
        new Unary("neg", NDArray::neg, x -> -x, 0, Domain.ANY),
        new Unary("abs", NDArray::abs, Math::abs, 0, Domain.ANY),
        new Unary("exp", NDArray::exp, Math::exp, 4, Domain.ANY),
        new Unary("log", NDArray::log, Math::log, 4, Domain.POSITIVE),
        new Unary("log1p", NDArray::log1p, Math::log1p, 4, Domain.POSITIVE),
        new Unary("sqrt", NDArray::sqrt, Math::sqrt, 1, Domain.POSITIVE),
        new Unary("rsqrt", NDArray::rsqrt, x -> 1 / Math.sqrt(x), 3, Domain.POSITIVE),
        new Unary("tanh", NDArray::tanh, Math::tanh, 4, Domain.ANY),
        new Unary("sigmoid", NDArray::sigmoid, x -> 1 / (1 + Math.exp(-x)), 6, Domain.ANY),
        new Unary("relu", NDArray::relu, x -> Math.max(x, 0), 0, Domain.ANY),
        new Unary("sin", NDArray::sin, Math::sin, 4, Domain.ANY),
        new Unary("cos", NDArray::cos, Math::cos, 4, Domain.ANY),
        new Unary("sign", NDArray::sign, Math::signum, 0, Domain.ANY),
        // The double reference of erf is itself good to about 10 double ulps; accuracy is TranscendentalAccuracyTest's.
        new Unary("erf", NDArray::erf, ErfReference::erf, 16, Domain.ANY),
        new Unary("gelu", NDArray::gelu, ErfReference::gelu, 16, Domain.ANY),
        new Unary("gelu(tanh)", a -> a.gelu("tanh"), ErfReference::geluTanh, 48, Domain.ANY),
        new Unary("pow(2.5)", a -> a.pow(2.5), x -> Math.pow(x, 2.5), 6, Domain.POSITIVE),
        new Unary("clamp(-0.5, 0.75)", a -> a.clamp(-0.5, 0.75), x -> Math.min(Math.max(x, -0.5), 0.75), 0, Domain.ANY),
        new Unary("add(0.375)", a -> a.add(0.375), x -> x + 0.375, 1, Domain.ANY),
        new Unary("mul(-1.75)", a -> a.mul(-1.75), x -> x * -1.75, 1, Domain.ANY),
        new Unary("div(3)", a -> a.div(3), x -> x / 3, 1, Domain.ANY),
        new Unary("sub(2)", a -> a.sub(2), x -> x - 2, 1, Domain.ANY),
        new Unary("maximum(0.125)", a -> a.maximum(0.125), x -> Math.max(x, 0.125), 0, Domain.ANY),
        new Unary("gt(0)", a -> a.gt(0), x -> x > 0 ? 1 : 0, 0, Domain.ANY),
    };

    @Property(tries = 400)
    void binaryOpsBroadcastLikeNumPy(@ForAll("binaryCases") Object[] c) {
        Binary op = (Binary) c[0];
        Sample a = (Sample) c[1], b = (Sample) c[2];
        DType out = DType.promote(a.array().dtype(), b.array().dtype());
        Ref expected = a.ref().zip(b.ref(), op.ref()).map(x -> EngineArbitraries.round(out, x));
        NDArray actual = op.op().apply(a.array(), b.array());
        assertEquals(out, actual.dtype(), "promoted dtype");
        Close.assertClose(actual, expected, Close.ulps(out, op.ulps()), 0, op + "(" + a + ", " + b + ")");
    }

    @Provide
    Arbitrary<Object[]> binaryCases() {
        return Combinators.combine(Arbitraries.of(BINARY), EngineArbitraries.broadcastPairs(4, 6),
                        EngineArbitraries.dtypes(), EngineArbitraries.dtypes())
                .flatAs((op, shapes, da, db) -> Combinators.combine(
                                EngineArbitraries.samples(da, shapes[0]), EngineArbitraries.samples(db, shapes[1]))
                        .as((a, b) -> new Object[] {op, a, b}));
    }

    @Property(tries = 400)
    void unaryOpsMatchTheScalarReference(@ForAll("unaryCases") Object[] c) {
        Unary op = (Unary) c[0];
        Sample s = (Sample) c[1];
        DType dtype = s.array().dtype();
        Sample input = op.domain() == Domain.POSITIVE
                ? new Sample(s.array().abs().add(1e-3), s.ref().map(x -> EngineArbitraries.round(dtype, Math.abs(x) + 1e-3)), s.layout())
                : s;
        Ref expected = input.ref().map(op.ref()).map(x -> EngineArbitraries.round(dtype, x));
        // Results near zero (sin at a multiple of pi, tanh of a tiny number) are judged in absolute terms.
        double atol = op.ulps() == 0 ? 0 : Close.ulps(dtype, op.ulps());
        Close.assertClose(op.op().apply(input.array()), expected, Close.ulps(dtype, op.ulps()), atol, op + "(" + input + ")");
    }

    @Provide
    Arbitrary<Object[]> unaryCases() {
        return Combinators.combine(Arbitraries.of(UNARY), EngineArbitraries.samples(4, 7))
                .as((op, s) -> new Object[] {op, s});
    }

    @Property(tries = 200)
    void whereTakesFromTheFirstWhereTheConditionIsNonZero(@ForAll("whereCases") Sample[] c) {
        DType out = DType.promote(c[1].array().dtype(), c[2].array().dtype());
        Ref condition = c[0].ref().map(x -> x > 0 ? 1 : 0);
        Ref taken = broadcast3(condition, c[1].ref(), c[2].ref());
        NDArray actual = NDArray.where(c[0].array().gt(0), c[1].array(), c[2].array());
        Close.assertSame(actual, taken.map(x -> EngineArbitraries.round(out, x)), "where");
    }

    private static Ref broadcast3(Ref condition, Ref a, Ref b) {
        int[] shape = Ref.broadcastShape(Ref.broadcastShape(condition.shape(), a.shape()), b.shape());
        double[] r = new double[Ref.numel(shape)];
        for (int k = 0; k < r.length; k++) {
            int[] i = Ref.unravel(k, shape);
            r[k] = condition.broadcastAt(i) != 0 ? a.broadcastAt(i) : b.broadcastAt(i);
        }
        return new Ref(r, shape);
    }

    @Provide
    Arbitrary<Sample[]> whereCases() {
        return Combinators.combine(EngineArbitraries.broadcastPairs(3, 5), Arbitraries.integers().between(0, 3),
                        EngineArbitraries.dtypes(), EngineArbitraries.dtypes())
                .flatAs((pair, kept, da, db) -> {
                    // The third operand is a trailing part of the second's shape, so all three broadcast.
                    int[] suffix = Arrays.copyOfRange(pair[1], pair[1].length - Math.min(kept, pair[1].length), pair[1].length);
                    return Combinators.combine(EngineArbitraries.samples(da, pair[0]),
                                    EngineArbitraries.samples(db, pair[1]), EngineArbitraries.samples(da, suffix))
                            .as((x, y, z) -> new Sample[] {x, y, z});
                });
    }
}
