package dev.vectorgrad.autodiff;

import dev.vectorgrad.autodiff.testing.TensorArbitraries;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every differentiable op passes GradCheck and gradGradCheck (FLOAT64, central differences, PyTorch's
 * default tolerances) over random shapes, broadcast pairs and strided or transposed layouts. Inputs are
 * moved into each op's domain (positive for log and sqrt, away from the kinks of abs and relu) so that
 * central differences do not straddle a point where the derivative is undefined.
 */
class GradientProperties {

    /** Where an op's inputs are drawn. */
    enum Domain {
        ANY(x -> x),
        POSITIVE(x -> x.abs().add(0.5)),
        AWAY_FROM_ZERO(x -> x.add(x.sign().mul(0.25)));

        final UnaryOperator<NDArray> move;

        Domain(UnaryOperator<NDArray> move) {
            this.move = move;
        }

        Tensor apply(Tensor t) {
            return Tensor.of(move.apply(t.value())).requiresGrad(true);
        }
    }

    record Unary(String name, Function<Tensor, Tensor> f, Domain domain, int minRank) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Unary[] UNARY = {
        new Unary("neg", Tensor::neg, Domain.ANY, 0),
        new Unary("abs", Tensor::abs, Domain.AWAY_FROM_ZERO, 0),
        new Unary("exp", Tensor::exp, Domain.ANY, 0),
        new Unary("log", Tensor::log, Domain.POSITIVE, 0),
        new Unary("log1p", Tensor::log1p, Domain.POSITIVE, 0),
        new Unary("sqrt", Tensor::sqrt, Domain.POSITIVE, 0),
        new Unary("rsqrt", Tensor::rsqrt, Domain.POSITIVE, 0),
        new Unary("tanh", Tensor::tanh, Domain.ANY, 0),
        new Unary("sigmoid", Tensor::sigmoid, Domain.ANY, 0),
        new Unary("relu", Tensor::relu, Domain.AWAY_FROM_ZERO, 0),
        new Unary("sin", Tensor::sin, Domain.ANY, 0),
        new Unary("cos", Tensor::cos, Domain.ANY, 0),
        new Unary("erf", Tensor::erf, Domain.ANY, 0),
        new Unary("gelu", Tensor::gelu, Domain.ANY, 0),
        new Unary("gelu(tanh)", x -> x.gelu("tanh"), Domain.ANY, 0),
        new Unary("clamp(-0.6, 0.6)", x -> x.clamp(-0.6, 0.6), Domain.ANY, 0),
        new Unary("pow(2.5)", x -> x.pow(2.5), Domain.POSITIVE, 0),
        new Unary("pow(3)", x -> x.pow(3), Domain.ANY, 0),
        new Unary("add(0.3)", x -> x.add(0.3), Domain.ANY, 0),
        new Unary("sub(0.3)", x -> x.sub(0.3), Domain.ANY, 0),
        new Unary("mul(-1.5)", x -> x.mul(-1.5), Domain.ANY, 0),
        new Unary("div(3)", x -> x.div(3), Domain.ANY, 0),
        new Unary("maximum(0.1)", x -> x.maximum(0.1), Domain.ANY, 0),
        new Unary("minimum(0.1)", x -> x.minimum(0.1), Domain.ANY, 0),
        new Unary("sum", Tensor::sum, Domain.ANY, 0),
        new Unary("mean", Tensor::mean, Domain.ANY, 0),
        new Unary("max", Tensor::max, Domain.ANY, 0),
        new Unary("min", Tensor::min, Domain.ANY, 0),
        new Unary("reshape(-1)", x -> x.reshape(-1), Domain.ANY, 0),
        new Unary("flatten", Tensor::flatten, Domain.ANY, 0),
        new Unary("unsqueeze(0)", x -> x.unsqueeze(0), Domain.ANY, 0),
        new Unary("squeeze", Tensor::squeeze, Domain.ANY, 0),
        new Unary("contiguous", Tensor::contiguous, Domain.ANY, 0),
        new Unary("to(FLOAT64)", x -> x.to(DType.FLOAT64), Domain.ANY, 0),
        new Unary("broadcastTo([2, ...])", x -> x.broadcastTo(prepend(2, x.shape())), Domain.ANY, 0),
        new Unary("expand(2, ...)", x -> x.unsqueeze(0).expand(prepend(2, x.shape())), Domain.ANY, 0),
        new Unary("transpose(0, -1)", x -> x.transpose(0, -1), Domain.ANY, 1),
        new Unary("permute(reversed)", x -> x.permute(reversed(x.dim())), Domain.ANY, 1),
        new Unary("slice(0, 0, end, 2)", x -> x.slice(0, 0, x.size(0), 2), Domain.ANY, 1),
        new Unary("select(0, last)", x -> x.select(0, x.size(0) - 1), Domain.ANY, 1),
        new Unary("softmax(-1)", x -> x.softmax(-1), Domain.ANY, 1),
        new Unary("logSoftmax(0)", x -> x.logSoftmax(0), Domain.ANY, 1),
        new Unary("split(2, 0)[last]", x -> {
            Tensor[] parts = x.split(2, 0);
            return parts[parts.length - 1];
        }, Domain.ANY, 1),
        new Unary("stack(0, x, 2x)", x -> Tensor.stack(0, x, x.mul(2)), Domain.ANY, 0),
        new Unary("cat(0, x, x.exp())", x -> Tensor.cat(0, x, x.exp()), Domain.ANY, 1),
        new Unary("indexSelect(0, [last, 0, last])", x -> x.indexSelect(0,
                Tensor.of(new double[] {x.size(0) - 1, 0, x.size(0) - 1}, 3)), Domain.ANY, 1),
        new Unary("gather(-1, reversed)", x -> x.gather(-1, reversedIndex(x.shape())), Domain.ANY, 1),
        new Unary("matmul(x, x^T)", x -> x.matmul(x.transpose(-1, -2)), Domain.ANY, 2),
        new Unary("matmul(x, x) of a vector", x -> x.flatten().matmul(x.flatten()), Domain.ANY, 0),
    };

    static int[] prepend(int d, int[] shape) {
        int[] out = new int[shape.length + 1];
        out[0] = d;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    static int[] reversed(int rank) {
        int[] dims = new int[rank];
        Arrays.setAll(dims, d -> rank - 1 - d);
        return dims;
    }

    /** Along the last axis, each row's indices in reverse, the first one repeated: exercises accumulation. */
    static Tensor reversedIndex(int[] shape) {
        int n = shape[shape.length - 1];
        double[] idx = new double[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        Arrays.setAll(idx, i -> i % n == 0 ? 0 : n - 1 - i % n);
        return Tensor.of(idx, shape);
    }

    @Provide
    Arbitrary<Object[]> unaryCases() {
        return Combinators.combine(Arbitraries.of(UNARY), TensorArbitraries.tensors(TensorArbitraries.shapes(0, 3, 3)))
                .as((op, x) -> new Object[] {op, x});
    }

    @Property(tries = 400)
    void unaryOpsAndViews(@ForAll("unaryCases") Object[] c) {
        Unary op = (Unary) c[0];
        Tensor x = op.domain().apply((Tensor) c[1]);
        Assume.that(x.dim() >= op.minRank());
        GradCheck.check(in -> op.f().apply(in[0]), x);
        GradCheck.gradGradCheck(in -> op.f().apply(in[0]), x);
    }

    record Binary(String name, BiFunction<Tensor, Tensor, Tensor> f, Domain left, Domain right) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Binary[] BINARY = {
        new Binary("add", Tensor::add, Domain.ANY, Domain.ANY),
        new Binary("sub", Tensor::sub, Domain.ANY, Domain.ANY),
        new Binary("mul", Tensor::mul, Domain.ANY, Domain.ANY),
        new Binary("div", Tensor::div, Domain.ANY, Domain.AWAY_FROM_ZERO),
        new Binary("pow", Tensor::pow, Domain.POSITIVE, Domain.ANY),
        new Binary("maximum", Tensor::maximum, Domain.ANY, Domain.ANY),
        new Binary("minimum", Tensor::minimum, Domain.ANY, Domain.ANY),
        new Binary("where(a > 0, a, b)", (a, b) -> Tensor.where(a.gt(Tensor.scalar(0, DType.FLOAT64)), a, b), Domain.ANY, Domain.ANY),
    };

    @Provide
    Arbitrary<Object[]> binaryCases() {
        return Combinators.combine(Arbitraries.of(BINARY),
                        TensorArbitraries.broadcastPairs(3, 3).flatMap(TensorArbitraries::tensorPair))
                .as((op, ab) -> new Object[] {op, ab[0], ab[1]});
    }

    @Property(tries = 200)
    void binaryOpsUndoBroadcasting(@ForAll("binaryCases") Object[] c) {
        Binary op = (Binary) c[0];
        Tensor a = op.left().apply((Tensor) c[1]), b = op.right().apply((Tensor) c[2]);
        GradCheck.check(in -> op.f().apply(in[0], in[1]), a, b);
        GradCheck.gradGradCheck(in -> op.f().apply(in[0], in[1]), a, b);
    }

    record Reduction(String name, ReductionOp f, int minCount) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface ReductionOp {
        Tensor apply(Tensor x, int[] axes, boolean keepDims);
    }

    static final Reduction[] REDUCTIONS = {
        new Reduction("sum", Tensor::sum, 0),
        new Reduction("mean", Tensor::mean, 1),
        new Reduction("max", Tensor::max, 1),
        new Reduction("min", Tensor::min, 1),
        new Reduction("var", (x, axes, keep) -> x.var(axes, keep, 1), 2),
        new Reduction("std", (x, axes, keep) -> x.std(axes, keep, 0), 2),
        new Reduction("logsumexp", Tensor::logsumexp, 1),
    };

    @Provide
    Arbitrary<Object[]> reductionCases() {
        return Combinators.combine(Arbitraries.of(REDUCTIONS), TensorArbitraries.tensors(TensorArbitraries.shapes(1, 3, 3)),
                        Arbitraries.longs(), Arbitraries.of(false, true))
                .as((op, x, seed, keep) -> {
                    Generator g = new Generator(seed);
                    int[] axes = Arrays.stream(reversed(x.dim())).filter(d -> g.nextInt(2) == 0)
                            .map(d -> g.nextInt(2) == 0 ? d - x.dim() : d).toArray();
                    return new Object[] {op, x, axes, keep};
                });
    }

    @Property(tries = 200)
    void reductionsOverAnyAxes(@ForAll("reductionCases") Object[] c) {
        Reduction op = (Reduction) c[0];
        Tensor x = (Tensor) c[1];
        int[] axes = (int[]) c[2];
        boolean keep = (boolean) c[3];
        int count = axes.length == 0 ? x.numel()
                : Arrays.stream(axes).map(a -> x.size(a)).reduce(1, (p, q) -> p * q);
        Assume.that(count >= op.minCount());
        GradCheck.check(in -> op.f().apply(in[0], axes, keep), x);
        GradCheck.gradGradCheck(in -> op.f().apply(in[0], axes, keep), x);
    }

    @Provide
    Arbitrary<Tensor[]> matmulCases() {
        Arbitrary<Integer> dim = Arbitraries.integers().between(1, 4);
        return Combinators.combine(dim, dim, dim, Arbitraries.integers().between(0, 4))
                .flatAs((m, k, n, kind) -> {
                    int[][] shapes = switch (kind) {
                        case 0 -> new int[][] {{m, k}, {k, n}};
                        case 1 -> new int[][] {{k}, {k, n}};
                        case 2 -> new int[][] {{m, k}, {k}};
                        case 3 -> new int[][] {{2, 1, m, k}, {3, k, n}};
                        default -> new int[][] {{k}, {2, k, n}};
                    };
                    return TensorArbitraries.tensorPair(shapes);
                });
    }

    @Property(tries = 60)
    void matmulOfVectorsMatricesAndBatches(@ForAll("matmulCases") Tensor[] ab) {
        GradCheck.check(in -> in[0].matmul(in[1]), ab);
        GradCheck.gradGradCheck(in -> in[0].matmul(in[1]), ab);
    }
}
