package dev.vectorgrad.autodiff;

import dev.vectorgrad.engine.NDArray;

/**
 * Ops fused for speed: each does in one recorded op what a composition would do in several, and has
 * its own gradient rule, written with Tensor ops like those in {@code Ops} (so second derivatives work)
 * and gradient-checked like them. They are defined through {@link Op#apply}, as a user's op would be.
 *
 * <pre>{@code
 * Tensor y = Fused.linear(x, weight, bias);                          // Linear's forward
 * Tensor perRow = Fused.softmaxCrossEntropy(logits, targetDistribution);
 * }</pre>
 */
public final class Fused {

    private Fused() {
    }

    /**
     * {@code input + mat1 @ mat2} for matrices {@code mat1 [n, m]}, {@code mat2 [m, p]} and an
     * {@code input} that broadcasts to {@code [n, p]} (PyTorch's addmm): the product accumulates onto the
     * input, one op and one pass instead of a product and an add.
     */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2) {
        return Op.apply("addmm", NDArray.addmm(input.value(), mat1.value(), mat2.value()), (i, g, y) -> switch (i) {
            case 0 -> g;
            case 1 -> g.matmul(mat2.transpose(0, 1));
            default -> mat1.transpose(0, 1).matmul(g);
        }, input, mat1, mat2);
    }

    /**
     * {@code x W^T + b} for {@code x [n, in]}, {@code weight [out, in]} and {@code bias [out]} (or null),
     * PyTorch's {@code F.linear}: the product accumulates onto the bias (one op, one pass), and the weight's
     * gradient comes out as {@code g^T x} in the weight's own layout, where a product with a transposed
     * view would give a transposed gradient that has to be copied into place.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        NDArray wT = weight.value().transpose(0, 1);
        NDArray value = bias == null ? x.value().matmul(wT) : NDArray.addmm(bias.value(), x.value(), wT);
        Backward rule = (i, g, y) -> switch (i) {
            case 0 -> g.matmul(weight);
            case 1 -> g.transpose(0, 1).matmul(x);
            default -> g;
        };
        return bias == null ? Op.apply("linear", value, rule, x, weight) : Op.apply("linear", value, rule, x, weight, bias);
    }

    /**
     * The cross-entropy of each row of {@code logits [rows, classes]} against a target distribution of
     * the same shape, {@code -sum_c target[r, c] * logSoftmax(logits)[r, c]}, as a tensor {@code [rows]}.
     * The target need not sum to one (class weights, label smoothing and ignored rows are folded into it),
     * and may itself require a gradient. The gradient with respect to the logits is
     * {@code g (sum_c target) softmax(logits) - g target}: one op where the composition records a dozen.
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor target) {
        return Op.apply("softmaxCrossEntropy", logits.value().softmaxCrossEntropy(target.value()),
                (i, g, y) -> i == 0 ? crossEntropyGrad(logits, target, g) : g.unsqueeze(1).mul(logits.logSoftmax(1)).neg(),
                logits, target);
    }

    /**
     * {@code g (sum_c target) softmax(logits) - g target} in one kernel pass, recorded as an op of its own
     * whose rule, the derivative of that formula written with Tensor ops, gives second derivatives.
     */
    private static Tensor crossEntropyGrad(Tensor logits, Tensor target, Tensor g) {
        NDArray value = logits.value().softmaxCrossEntropyBackward(target.value(), g.value());
        return Op.apply("softmaxCrossEntropyBackward", value, (i, gg, y) -> {
            Tensor p = logits.softmax(1);
            Tensor gCol = g.unsqueeze(1);
            Tensor mass = target.sum(new int[] {1}, true);
            Tensor ggDotP = gg.mul(p).sum(new int[] {1}, true);
            return switch (i) {
                case 0 -> gCol.mul(mass).mul(p).mul(gg.sub(ggDotP));
                case 1 -> gCol.mul(ggDotP.sub(gg));
                default -> gg.mul(p.mul(mass).sub(target)).sum(1);
            };
        }, logits, target, g);
    }

    /**
     * The binary cross-entropy of probabilities {@code p} against targets {@code t} (same shape), per
     * element: {@code -(t log p + (1 - t) log(1 - p))}, each log clamped at -100 as PyTorch's BCELoss. Its
     * own rule, {@code g (p - t) / max(p (1 - p), 1e-12)}, stays finite where {@code p} is exactly 0 or 1,
     * where the composition's {@code 1 / p} would make 0/0.
     */
    public static Tensor binaryCrossEntropy(Tensor p, Tensor t) {
        NDArray pv = p.value(), tv = t.value();
        NDArray logP = pv.log().maximum(-100), log1mP = pv.neg().add(1).log().maximum(-100);
        NDArray value = tv.mul(logP).add(tv.neg().add(1).mul(log1mP)).neg();
        return Op.apply("binaryCrossEntropy", value, (i, g, y) -> i == 0
                ? g.mul(p.sub(t)).div(p.mul(p.neg().add(1)).maximum(1e-12))
                : g.mul(p.neg().add(1).log().maximum(-100).sub(p.log().maximum(-100))), p, t);
    }
}
