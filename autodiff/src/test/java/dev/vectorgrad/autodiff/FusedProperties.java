package dev.vectorgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.testing.TensorArbitraries;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fused ops give the values of the compositions they replace (to rounding: FLOAT64, 1e-12) and pass
 * GradCheck and gradGradCheck themselves, so a fused rule is held to what the primitives' rules are.
 */
class FusedProperties {

    @Provide
    Arbitrary<Tensor[]> addmmCases() {
        Arbitrary<Integer> dim = Arbitraries.integers().between(1, 5);
        return Combinators.combine(dim, dim, dim, Arbitraries.integers().between(0, 2)).flatAs((n, m, p, inputKind) -> {
            int[] inputShape = switch (inputKind) {
                case 0 -> new int[] {p};
                case 1 -> new int[] {n, p};
                default -> new int[] {n, 1};
            };
            return Combinators.combine(TensorArbitraries.tensors(inputShape), TensorArbitraries.tensors(new int[] {n, m}),
                    TensorArbitraries.tensors(new int[] {m, p})).as((input, a, b) -> new Tensor[] {input, a, b});
        });
    }

    @Property(tries = 60)
    void addmmIsTheProductPlusTheInputAndHasTheRightGradients(@ForAll("addmmCases") Tensor[] in) {
        Tensor fused = Tensor.addmm(in[0], in[1], in[2]);
        Tensor composed = in[1].matmul(in[2]).add(in[0]);
        assertTrue(fused.value().allClose(composed.value(), 1e-12, 1e-12), fused + " vs " + composed);
        GradCheck.check(t -> Tensor.addmm(t[0], t[1], t[2]), in);
        GradCheck.gradGradCheck(t -> Tensor.addmm(t[0], t[1], t[2]), in);
    }

    @Provide
    Arbitrary<Tensor[]> linearCases() {
        Arbitrary<Integer> dim = Arbitraries.integers().between(1, 5);
        return Combinators.combine(dim, dim, dim, Arbitraries.of(true, false)).flatAs((n, in, out, withBias) ->
                Combinators.combine(TensorArbitraries.tensors(new int[] {n, in}), TensorArbitraries.tensors(new int[] {out, in}),
                        TensorArbitraries.tensors(new int[] {out})).as((x, w, b) -> withBias ? new Tensor[] {x, w, b} : new Tensor[] {x, w}));
    }

    private static Tensor linear(Tensor[] in) {
        return Fused.linear(in[0], in[1], in.length > 2 ? in[2] : null);
    }

    @Property(tries = 80)
    void linearIsTheProductWithTheTransposedWeightPlusTheBiasAndHasTheRightGradients(@ForAll("linearCases") Tensor[] in) {
        Tensor fused = linear(in);
        Tensor composed = in[0].matmul(in[1].transpose(0, 1));
        if (in.length > 2) {
            composed = composed.add(in[2]);
        }
        assertTrue(fused.value().allClose(composed.value(), 1e-12, 1e-12), fused + " vs " + composed);
        GradCheck.check(FusedProperties::linear, in);
        GradCheck.gradGradCheck(FusedProperties::linear, in);
    }

    @Provide
    Arbitrary<Tensor[]> crossEntropyCases() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(1, 5);
        Arbitrary<Integer> classes = Arbitraries.integers().between(1, 5);
        return Combinators.combine(rows, classes, Arbitraries.longs()).flatAs((r, c, seed) -> {
            // Targets positive and of any row sum: class weights and label smoothing make such rows.
            NDArray target = NDArray.rand(new Generator(seed), r, c).to(DType.FLOAT64).mul(2);
            return TensorArbitraries.tensors(new int[] {r, c})
                    .map(logits -> new Tensor[] {logits, Tensor.of(target).requiresGrad(true)});
        });
    }

    @Property(tries = 80)
    void softmaxCrossEntropyIsTheComposedFormulaAndHasTheRightGradients(@ForAll("crossEntropyCases") Tensor[] in) {
        Tensor fused = in[0].softmaxCrossEntropy(in[1]);
        Tensor composed = in[0].logSoftmax(1).mul(in[1]).sum(1).neg();
        assertTrue(fused.value().allClose(composed.value(), 1e-12, 1e-12), fused + " vs " + composed);
        GradCheck.check(t -> Fused.softmaxCrossEntropy(t[0], t[1]), in);
        GradCheck.gradGradCheck(t -> Fused.softmaxCrossEntropy(t[0], t[1]), in);
    }

    @Property(tries = 20)
    void softmaxCrossEntropyStaysFiniteForHugeLogits(@ForAll("crossEntropyCases") Tensor[] in) {
        Tensor huge = Tensor.of(in[0].value().mul(1000)).requiresGrad(true);
        Tensor loss = Fused.softmaxCrossEntropy(huge, in[1]).sum();
        loss.backward();
        assertTrue(Double.isFinite(loss.item()) && Double.isFinite(huge.grad().value().abs().sum().item()), loss.toString());
    }

    @Provide
    Arbitrary<Tensor[]> probabilityCases() {
        return TensorArbitraries.shapes(0, 3, 4).flatMap(shape -> TensorArbitraries.tensorPair(new int[][] {shape, shape}))
                .map(pt -> new Tensor[] {
                    Tensor.of(pt[0].value().sigmoid().mul(0.9).add(0.05)).requiresGrad(true),
                    Tensor.of(pt[1].value().sigmoid()).requiresGrad(true)});
    }

    @Property(tries = 80)
    void binaryCrossEntropyIsTheClampedFormulaAndHasTheRightGradients(@ForAll("probabilityCases") Tensor[] in) {
        Tensor fused = Fused.binaryCrossEntropy(in[0], in[1]);
        Tensor composed = in[1].mul(in[0].log()).add(in[1].neg().add(1).mul(in[0].neg().add(1).log())).neg();
        assertTrue(fused.value().allClose(composed.value(), 1e-12, 1e-12), fused + " vs " + composed);
        GradCheck.check(t -> Fused.binaryCrossEntropy(t[0], t[1]), in);
        GradCheck.gradGradCheck(t -> Fused.binaryCrossEntropy(t[0], t[1]), in);
    }
}
