package dev.vectorgrad.autodiff;

import static dev.vectorgrad.autodiff.Op.apply;
import static dev.vectorgrad.autodiff.Op.constant;

import dev.vectorgrad.engine.ConvParams;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.PoolParams;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * The gradient table: every primitive op once, its forward beside its gradient rule, in the manner of
 * PyTorch's derivatives.yaml. A rule reads {@code (i, g, y) -> ...}: the gradient for input {@code i}
 * given the output's gradient {@code g} and the output {@code y}, written with Tensor ops so that it is
 * differentiable again. Broadcasting is undone once, by {@link #sumTo}, for every rule. Ops that are
 * compositions of these (softmax, mean, var, ...) live in {@link Tensor} and need no rule.
 */
final class Ops {

    private Ops() {
    }

    // ---- arithmetic ------------------------------------------------------------------------------

    static Tensor add(Tensor a, Tensor b) {
        return apply("add", a.value().add(b.value()), (i, g, y) -> g, a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        return apply("sub", a.value().sub(b.value()), (i, g, y) -> i == 0 ? g : g.neg(), a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        return apply("mul", a.value().mul(b.value()), (i, g, y) -> i == 0 ? g.mul(b) : g.mul(a), a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        return apply("div", a.value().div(b.value()), (i, g, y) -> i == 0 ? g.div(b) : g.mul(y).div(b).neg(), a, b);
    }

    static Tensor pow(Tensor a, Tensor b) {
        return apply("pow", a.value().pow(b.value()),
                (i, g, y) -> i == 0 ? g.mul(b).mul(a.pow(b.sub(1))) : g.mul(y).mul(a.log()), a, b);
    }

    static Tensor pow(Tensor a, double e) {
        return apply("pow", a.value().pow(e), (i, g, y) -> g.mul(a.pow(e - 1)).mul(e), a);
    }

    /** Ties split the gradient evenly between the two inputs, as in PyTorch. */
    static Tensor maximum(Tensor a, Tensor b) {
        return apply("maximum", a.value().maximum(b.value()), (i, g, y) -> g.mul(share(i == 0 ? a : b, i == 0 ? b : a)), a, b);
    }

    static Tensor minimum(Tensor a, Tensor b) {
        return apply("minimum", a.value().minimum(b.value()), (i, g, y) -> g.mul(share(i == 0 ? b : a, i == 0 ? a : b)), a, b);
    }

    /** 1 where {@code winner > other}, 1/2 where they tie, else 0. */
    private static Tensor share(Tensor winner, Tensor other) {
        NDArray w = winner.value(), o = other.value();
        return constant(w.gt(o).add(w.eq(o).mul(0.5)));
    }

    // ---- unary -----------------------------------------------------------------------------------

    static Tensor neg(Tensor a) {
        return apply("neg", a.value().neg(), (i, g, y) -> g.neg(), a);
    }

    static Tensor abs(Tensor a) {
        return apply("abs", a.value().abs(), (i, g, y) -> g.mul(a.sign()), a);
    }

    static Tensor exp(Tensor a) {
        return apply("exp", a.value().exp(), (i, g, y) -> g.mul(y), a);
    }

    static Tensor log(Tensor a) {
        return apply("log", a.value().log(), (i, g, y) -> g.div(a), a);
    }

    static Tensor log1p(Tensor a) {
        return apply("log1p", a.value().log1p(), (i, g, y) -> g.div(a.add(1)), a);
    }

    static Tensor sqrt(Tensor a) {
        return apply("sqrt", a.value().sqrt(), (i, g, y) -> g.div(y.mul(2)), a);
    }

    static Tensor rsqrt(Tensor a) {
        return apply("rsqrt", a.value().rsqrt(), (i, g, y) -> g.mul(y.pow(3)).mul(-0.5), a);
    }

    static Tensor tanh(Tensor a) {
        return apply("tanh", a.value().tanh(), (i, g, y) -> g.mul(y.mul(y).neg().add(1)), a);
    }

    static Tensor sigmoid(Tensor a) {
        return apply("sigmoid", a.value().sigmoid(), (i, g, y) -> g.mul(y.mul(y.neg().add(1))), a);
    }

    static Tensor relu(Tensor a) {
        return apply("relu", a.value().relu(), (i, g, y) -> g.mul(constant(a.value().gt(0))), a);
    }

    static Tensor sin(Tensor a) {
        return apply("sin", a.value().sin(), (i, g, y) -> g.mul(a.cos()), a);
    }

    static Tensor cos(Tensor a) {
        return apply("cos", a.value().cos(), (i, g, y) -> g.mul(a.sin()).neg(), a);
    }

    static Tensor erf(Tensor a) {
        return apply("erf", a.value().erf(), (i, g, y) -> g.mul(a.mul(a).neg().exp()).mul(2 / Math.sqrt(Math.PI)), a);
    }

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double GELU_TANH_C = Math.sqrt(2 / Math.PI);

    /**
     * Exact: {@code Phi(x) + x phi(x)}, the normal CDF and density. tanh: with {@code s = sigmoid(2z)},
     * {@code z = c (x + 0.044715 x^3)}, {@code s + x s (1 - s) 2z'}.
     */
    static Tensor gelu(Tensor a, String approximate) {
        NDArray value = a.value().gelu(approximate);
        if (approximate.equals("tanh")) {
            return apply("gelu", value, (i, g, y) -> {
                Tensor xx = a.mul(a);
                Tensor s = xx.mul(2 * 0.044715 * GELU_TANH_C).add(2 * GELU_TANH_C).mul(a).sigmoid();
                Tensor slope = xx.mul(6 * 0.044715 * GELU_TANH_C).add(2 * GELU_TANH_C);
                return g.mul(s.add(a.mul(s).mul(s.neg().add(1)).mul(slope)));
            }, a);
        }
        return apply("gelu", value, (i, g, y) -> {
            Tensor cdf = a.mul(SQRT_HALF).erf().add(1).mul(0.5);
            Tensor pdf = a.mul(a).mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
            return g.mul(cdf.add(a.mul(pdf)));
        }, a);
    }

    static Tensor clamp(Tensor a, double min, double max) {
        NDArray inside = a.value().ge(min).mul(a.value().le(max));
        return apply("clamp", a.value().clamp(min, max), (i, g, y) -> g.mul(constant(inside)), a);
    }

    /** {@code a} where {@code condition} is non-zero, else {@code b}. */
    static Tensor where(NDArray condition, Tensor a, Tensor b) {
        Tensor zero = constant(NDArray.scalar(0, a.value().dtype()));
        return apply("where", NDArray.where(condition, a.value(), b.value()),
                (i, g, y) -> i == 0 ? where(condition, g, zero) : where(condition, zero, g), a, b);
    }

    // ---- reductions ------------------------------------------------------------------------------

    static Tensor sum(Tensor a, int[] axes, boolean keepDims) {
        return apply("sum", a.value().sum(axes, keepDims),
                (i, g, y) -> restoreAxes(g, a.value().shape(), axes, keepDims).broadcastTo(a.value().shape()), a);
    }

    /** The gradient goes to the elements equal to the extreme, shared evenly among ties. */
    static Tensor max(Tensor a, int[] axes, boolean keepDims) {
        return extreme("max", a.value().max(axes, keepDims), a, axes, keepDims);
    }

    static Tensor min(Tensor a, int[] axes, boolean keepDims) {
        return extreme("min", a.value().min(axes, keepDims), a, axes, keepDims);
    }

    private static Tensor extreme(String name, NDArray value, Tensor a, int[] axes, boolean keepDims) {
        return apply(name, value, (i, g, y) -> {
            int[] shape = a.value().shape();
            NDArray hits = a.value().eq(restoreAxes(y, shape, axes, keepDims).value());
            NDArray share = hits.div(hits.sum(axes, true));
            return restoreAxes(g, shape, axes, keepDims).mul(constant(share));
        }, a);
    }

    /** A reduced tensor with its reduced axes put back as size 1, ready to broadcast against the input. */
    private static Tensor restoreAxes(Tensor t, int[] shape, int[] axes, boolean keepDims) {
        if (keepDims) {
            return t;
        }
        int[] kept = shape.clone();
        if (axes.length == 0) {
            Arrays.fill(kept, 1);
        } else {
            for (int a : axes) {
                kept[Shape.axis("sum", a, shape)] = 1;
            }
        }
        return t.reshape(kept);
    }

    // ---- shapes and views ------------------------------------------------------------------------

    static Tensor reshape(Tensor a, int[] shape) {
        return apply("reshape", a.value().reshape(shape), (i, g, y) -> g.reshape(a.value().shape()), a);
    }

    static Tensor permute(Tensor a, int[] dims) {
        NDArray value = a.value().permute(dims);
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            inverse[Shape.axis("permute", dims[i], a.value().shape())] = i;
        }
        return apply("permute", value, (i, g, y) -> g.permute(inverse), a);
    }

    static Tensor broadcastTo(Tensor a, int[] shape) {
        return apply("broadcastTo", a.value().broadcastTo(shape), (i, g, y) -> g.sumTo(a.value().shape()), a);
    }

    /** The sum of {@code a} down to {@code shape}, which broadcasts to {@code a}'s shape: undoes a broadcast. */
    static Tensor sumTo(Tensor a, int[] shape) {
        int[] from = a.value().shape();
        if (Arrays.equals(from, shape)) {
            return a;
        }
        if (!Arrays.equals(Shape.broadcast("sumTo", from, shape), from)) {
            throw new IllegalArgumentException("sumTo: cannot sum " + Shape.format(from) + " to " + Shape.format(shape)
                    + " (it does not broadcast to " + Shape.format(from) + ")");
        }
        int lead = from.length - shape.length;
        int n = 0;
        int[] axes = new int[from.length];
        for (int d = 0; d < from.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && from[d] != 1)) {
                axes[n++] = d;
            }
        }
        NDArray value = a.value().sum(Arrays.copyOf(axes, n), true).reshape(shape);
        return apply("sumTo", value, (i, g, y) -> g.broadcastTo(from), a);
    }

    static Tensor slice(Tensor a, int axis, int start, int end, int step) {
        return apply("slice", a.value().slice(axis, start, end, step),
                (i, g, y) -> unslice(g, a.value().shape(), axis, start, end, step),
                (i, g, acc) -> acc.slice(axis, start, end, step).addInPlace(g.value()), a);
    }

    /** Zeros of {@code shape} with {@code g} written into the slice: the gradient of {@link #slice}. */
    private static Tensor unslice(Tensor g, int[] shape, int axis, int start, int end, int step) {
        NDArray value = NDArray.zeros(g.value().dtype(), shape);
        value.slice(axis, start, end, step).copyFrom(g.value());
        return apply("unslice", value, (i, gg, y) -> gg.slice(axis, start, end, step), g);
    }

    static Tensor cat(int axis, Tensor... parts) {
        NDArray[] values = new NDArray[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].value();
        }
        NDArray value = NDArray.cat(axis, values);
        int[] starts = new int[parts.length];
        for (int i = 1; i < parts.length; i++) {
            starts[i] = starts[i - 1] + values[i - 1].size(axis);
        }
        return apply("cat", value, (i, g, y) -> g.slice(axis, starts[i], starts[i] + values[i].size(axis), 1), parts);
    }

    static Tensor indexSelect(Tensor a, int axis, NDArray index) {
        return apply("indexSelect", a.value().indexSelect(axis, index),
                (i, g, y) -> indexAdd(g, a.value().shape(), axis, index),
                (i, g, acc) -> acc.indexAddInPlace(axis, index, g.value()), a);
    }

    /** Zeros of {@code shape} with the slices of {@code g} added at {@code index}: the gradient of indexSelect. */
    private static Tensor indexAdd(Tensor g, int[] shape, int axis, NDArray index) {
        NDArray value = NDArray.zeros(g.value().dtype(), shape).indexAddInPlace(axis, index, g.value());
        return apply("indexAdd", value, (i, gg, y) -> gg.indexSelect(axis, Tensor.of(index)), g);
    }

    static Tensor gather(Tensor a, int axis, NDArray index) {
        return apply("gather", a.value().gather(axis, index),
                (i, g, y) -> scatterAdd(g, a.value().shape(), axis, index),
                (i, g, acc) -> acc.scatterAddInPlace(axis, index, g.value()), a);
    }

    /** Zeros of {@code shape} with {@code g} added at the gathered positions: the gradient of gather. */
    private static Tensor scatterAdd(Tensor g, int[] shape, int axis, NDArray index) {
        NDArray value = NDArray.zeros(g.value().dtype(), shape).scatterAddInPlace(axis, index, g.value());
        return apply("scatterAdd", value, (i, gg, y) -> gg.gather(axis, Tensor.of(index)), g);
    }

    static Tensor contiguous(Tensor a) {
        return apply("contiguous", a.value().contiguous(), (i, g, y) -> g, a);
    }

    static Tensor to(Tensor a, DType dtype) {
        return apply("to", a.value().to(dtype), (i, g, y) -> g.to(a.value().dtype()), a);
    }

    // ---- linear algebra --------------------------------------------------------------------------

    /** For operands of two or more dimensions; batch broadcasting is undone by {@link #sumTo}. */
    static Tensor matmul(Tensor a, Tensor b) {
        return apply("matmul", a.value().matmul(b.value()),
                (i, g, y) -> i == 0 ? g.matmul(b.transpose(-1, -2)) : a.transpose(-1, -2).matmul(g), a, b);
    }

    // ---- convolution and pooling -----------------------------------------------------------------

    /*
     * conv2d and the two products of its gradient are one trilinear form, <gradOut, conv2d(x, w)>, read
     * three ways: each is the derivative of the form by one of its arguments. So the rule of each is made
     * of the other two, and derivatives of any order stay convolutions.
     */

    static Tensor conv2d(Tensor x, Tensor w, ConvParams p) {
        return apply("conv2d", x.value().conv2d(w.value(), p),
                (i, g, y) -> i == 0 ? conv2dInputGrad(x.shape(), w, g, p) : conv2dWeightGrad(x, w.shape(), g, p), x, w);
    }

    /** The input gradient of conv2d: linear in {@code w} and in {@code g}. */
    static Tensor conv2dInputGrad(int[] inputShape, Tensor w, Tensor g, ConvParams p) {
        return apply("conv2dInputGrad", NDArray.conv2dInputGrad(inputShape, w.value(), g.value(), p),
                (i, gg, y) -> i == 0 ? conv2dWeightGrad(gg, w.shape(), g, p) : conv2d(gg, w, p), w, g);
    }

    /** The weight gradient of conv2d: linear in {@code x} and in {@code g}. */
    static Tensor conv2dWeightGrad(Tensor x, int[] weightShape, Tensor g, ConvParams p) {
        return apply("conv2dWeightGrad", NDArray.conv2dWeightGrad(x.value(), weightShape, g.value(), p),
                (i, gg, y) -> i == 0 ? conv2dInputGrad(x.shape(), gg, g, p) : conv2d(x, gg, p), x, g);
    }

    /** The gradient goes to each window's maximum; the indices are fixed by the forward pass. */
    static Tensor maxPool2d(Tensor x, PoolParams p) {
        NDArray[] valuesAndIndices = x.value().maxPool2dWithIndices(p);
        NDArray indices = valuesAndIndices[1];
        return apply("maxPool2d", valuesAndIndices[0], (i, g, y) -> maxPool2dBackward(g, indices, x.shape()), x);
    }

    /** Linear in {@code g}: its own gradient picks, from each plane, the elements at the indices. */
    private static Tensor maxPool2dBackward(Tensor g, NDArray indices, int[] inputShape) {
        int[] s = indices.shape();
        NDArray flatIndices = indices.reshape(s[0], s[1], s[2] * s[3]);
        return apply("maxPool2dBackward", NDArray.maxPool2dBackward(g.value(), indices, inputShape),
                (i, gg, y) -> gather(gg.reshape(s[0], s[1], -1), 2, flatIndices).reshape(s), g);
    }

    static Tensor avgPool2d(Tensor x, PoolParams p, boolean countIncludePad) {
        return apply("avgPool2d", x.value().avgPool2d(p, countIncludePad),
                (i, g, y) -> avgPool2dBackward(g, x.shape(), p, countIncludePad), x);
    }

    /** The adjoint of average pooling, whose adjoint is average pooling again. */
    private static Tensor avgPool2dBackward(Tensor g, int[] inputShape, PoolParams p, boolean countIncludePad) {
        return apply("avgPool2dBackward", NDArray.avgPool2dBackward(g.value(), inputShape, p, countIncludePad),
                (i, gg, y) -> avgPool2d(gg, p, countIncludePad), g);
    }
}
