package dev.vectorgrad.autodiff;

import dev.vectorgrad.engine.ConvParams;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.PoolParams;
import dev.vectorgrad.engine.Shape;
import java.util.stream.IntStream;

/**
 * A differentiable value over an {@link NDArray}. Every op records a graph node when gradients are
 * enabled and any input requires a gradient (define-by-run: plain Java control flow builds the graph);
 * {@link #backward()} then fills the {@code grad} of the leaves. Op names and semantics are those of
 * {@link NDArray} and PyTorch.
 *
 * <pre>{@code
 * Tensor w = Tensor.of(NDArray.randn(new Generator(0), 3, 2)).requiresGrad(true);
 * x.matmul(w).relu().sum().backward();   // w.grad() now holds d(sum)/dw
 * }</pre>
 *
 * <p>Composite ops (mean, var, softmax, transpose, ...) are written here as compositions of the
 * primitives in {@code Ops}, whose gradient rules make theirs.
 */
public final class Tensor {

    private final NDArray value;
    private final Node node;
    private boolean requiresGrad;
    private boolean retainGrad;
    private Tensor grad;

    Tensor(NDArray value, Node node) {
        this.value = value;
        this.node = node;
        this.requiresGrad = node != null;
    }

    // ---- creation --------------------------------------------------------------------------------

    /** A leaf tensor over {@code value} (shared, not copied) that does not require a gradient. */
    public static Tensor of(NDArray value) {
        return new Tensor(value, null);
    }

    public static Tensor of(float[] data, int... shape) {
        return of(NDArray.of(data, shape));
    }

    public static Tensor of(double[] data, int... shape) {
        return of(NDArray.of(data, shape));
    }

    public static Tensor scalar(double value, DType dtype) {
        return of(NDArray.scalar(value, dtype));
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return of(NDArray.zeros(dtype, shape));
    }

    public static Tensor ones(DType dtype, int... shape) {
        return of(NDArray.ones(dtype, shape));
    }

    public static Tensor randn(Generator g, DType dtype, int... shape) {
        return of(NDArray.randn(g, dtype, shape));
    }

    // ---- value and gradient ----------------------------------------------------------------------

    /** The array this tensor holds (shared: writing into it in place is seen by a graph that saved it). */
    public NDArray value() {
        return value;
    }

    public int[] shape() {
        return value.shape();
    }

    public int size(int axis) {
        return value.size(axis);
    }

    public DType dtype() {
        return value.dtype();
    }

    public int dim() {
        return value.dim();
    }

    public int numel() {
        return value.numel();
    }

    /** The one element of a single-element tensor. */
    public double item() {
        return value.item();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as a value to differentiate with respect to; returns this. */
    public Tensor requiresGrad(boolean flag) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only a leaf's flag can be set, this tensor comes from "
                    + node.op + "; call detach() first");
        }
        requiresGrad = flag;
        return this;
    }

    /** True for a tensor that no recorded op produced: data, parameters. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The accumulated gradient of a leaf (or of a tensor that called {@link #retainGrad()}), or null. */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient (PyTorch's {@code set_to_none}). */
    public void zeroGrad() {
        grad = null;
    }

    /** Asks backward to keep this non-leaf tensor's gradient in {@link #grad()}. */
    public Tensor retainGrad() {
        retainGrad = true;
        return this;
    }

    /** The same value, cut from the graph: it shares the storage and requires no gradient. */
    public Tensor detach() {
        return new Tensor(value, null);
    }

    /** Back-propagates from this scalar: each leaf that requires a gradient adds its own to {@code grad}. */
    public void backward() {
        backward(null, false, false);
    }

    /** Back-propagates from a non-scalar output, with {@code seed} as its gradient. */
    public void backward(Tensor seed) {
        backward(seed, false, false);
    }

    /**
     * Back-propagates with {@code seed} (null for a scalar), keeping the graph for another backward when
     * {@code retainGraph}, and recording the gradients' own graph when {@code createGraph}.
     */
    public void backward(Tensor seed, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, seed, retainGraph, createGraph);
    }

    Node node() {
        return node;
    }

    boolean retainsGrad() {
        return (node == null && requiresGrad) || retainGrad;
    }

    /**
     * Adds {@code g} to {@link #grad}; unless backward made {@code g} ({@code owned}), copies it first so
     * that no later in-place add reaches another tensor.
     */
    void depositGrad(Tensor g, boolean createGraph, boolean owned) {
        if (createGraph) {
            grad = grad == null ? g : grad.add(g);
        } else if (grad == null) {
            grad = owned ? g : of(g.value.copy());
        } else {
            grad.value.addInPlace(g.value);
        }
    }

    // ---- elementwise -----------------------------------------------------------------------------

    public Tensor add(Tensor other) {
        return Ops.add(this, other);
    }

    public Tensor add(double s) {
        return Ops.add(this, constant(s));
    }

    public Tensor sub(Tensor other) {
        return Ops.sub(this, other);
    }

    public Tensor sub(double s) {
        return Ops.sub(this, constant(s));
    }

    public Tensor mul(Tensor other) {
        return Ops.mul(this, other);
    }

    public Tensor mul(double s) {
        return Ops.mul(this, constant(s));
    }

    public Tensor div(Tensor other) {
        return Ops.div(this, other);
    }

    public Tensor div(double s) {
        return Ops.div(this, constant(s));
    }

    public Tensor pow(Tensor exponent) {
        return Ops.pow(this, exponent);
    }

    public Tensor pow(double exponent) {
        return Ops.pow(this, exponent);
    }

    public Tensor maximum(Tensor other) {
        return Ops.maximum(this, other);
    }

    public Tensor maximum(double s) {
        return Ops.maximum(this, constant(s));
    }

    public Tensor minimum(Tensor other) {
        return Ops.minimum(this, other);
    }

    public Tensor minimum(double s) {
        return Ops.minimum(this, constant(s));
    }

    /** A 0/1 mask; no gradient flows through comparisons. */
    public Tensor eq(Tensor other) {
        return Op.constant(value.eq(other.value));
    }

    public Tensor ne(Tensor other) {
        return Op.constant(value.ne(other.value));
    }

    public Tensor lt(Tensor other) {
        return Op.constant(value.lt(other.value));
    }

    public Tensor le(Tensor other) {
        return Op.constant(value.le(other.value));
    }

    public Tensor gt(Tensor other) {
        return Op.constant(value.gt(other.value));
    }

    public Tensor ge(Tensor other) {
        return Op.constant(value.ge(other.value));
    }

    /** {@code a} where {@code condition} is non-zero, else {@code b}; the condition gets no gradient. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Ops.where(condition.value, a, b);
    }

    public Tensor neg() {
        return Ops.neg(this);
    }

    public Tensor abs() {
        return Ops.abs(this);
    }

    public Tensor exp() {
        return Ops.exp(this);
    }

    public Tensor log() {
        return Ops.log(this);
    }

    public Tensor log1p() {
        return Ops.log1p(this);
    }

    public Tensor sqrt() {
        return Ops.sqrt(this);
    }

    public Tensor rsqrt() {
        return Ops.rsqrt(this);
    }

    public Tensor tanh() {
        return Ops.tanh(this);
    }

    public Tensor sigmoid() {
        return Ops.sigmoid(this);
    }

    public Tensor relu() {
        return Ops.relu(this);
    }

    public Tensor sin() {
        return Ops.sin(this);
    }

    public Tensor cos() {
        return Ops.cos(this);
    }

    /** -1, 0 or 1 per element; its gradient is zero, so it is a constant. */
    public Tensor sign() {
        return Op.constant(value.sign());
    }

    /** The error function; its gradient is {@code 2/sqrt(pi) exp(-x^2)}. */
    public Tensor erf() {
        return Ops.erf(this);
    }

    /** The exact GELU, {@code x/2 (1 + erf(x / sqrt 2))}, PyTorch's default. */
    public Tensor gelu() {
        return gelu("none");
    }

    /**
     * GELU, exact ({@code "none"}) or PyTorch's tanh approximation ({@code "tanh"}), as
     * {@code F.gelu(x, approximate=...)}.
     *
     * <pre>{@code
     * Tensor y = x.gelu("tanh");
     * }</pre>
     */
    public Tensor gelu(String approximate) {
        return Ops.gelu(this, approximate);
    }

    public Tensor clamp(double min, double max) {
        return Ops.clamp(this, min, max);
    }

    // ---- reductions ------------------------------------------------------------------------------

    public Tensor sum() {
        return sum(new int[0], false);
    }

    public Tensor sum(int... axes) {
        return sum(axes, false);
    }

    public Tensor sum(int[] axes, boolean keepDims) {
        return Ops.sum(this, axes, keepDims);
    }

    public Tensor mean() {
        return mean(new int[0], false);
    }

    public Tensor mean(int... axes) {
        return mean(axes, false);
    }

    public Tensor mean(int[] axes, boolean keepDims) {
        return sum(axes, keepDims).div(reducedCount("mean", axes));
    }

    public Tensor max() {
        return max(new int[0], false);
    }

    public Tensor max(int... axes) {
        return max(axes, false);
    }

    public Tensor max(int[] axes, boolean keepDims) {
        return Ops.max(this, axes, keepDims);
    }

    public Tensor min() {
        return min(new int[0], false);
    }

    public Tensor min(int... axes) {
        return min(axes, false);
    }

    public Tensor min(int[] axes, boolean keepDims) {
        return Ops.min(this, axes, keepDims);
    }

    /** Indices of the largest elements along an axis; no gradient. */
    public Tensor argmax(int axis, boolean keepDims) {
        return Op.constant(value.argmax(axis, keepDims));
    }

    public Tensor argmin(int axis, boolean keepDims) {
        return Op.constant(value.argmin(axis, keepDims));
    }

    /** The variance with Bessel's correction (n - 1), as torch.var. */
    public Tensor var(int... axes) {
        return var(axes, false, 1);
    }

    public Tensor var(int[] axes, boolean keepDims, int correction) {
        Tensor centered = sub(mean(axes, true));
        return centered.mul(centered).sum(axes, keepDims).div(Math.max(0, reducedCount("var", axes) - correction));
    }

    public Tensor std(int... axes) {
        return var(axes).sqrt();
    }

    public Tensor std(int[] axes, boolean keepDims, int correction) {
        return var(axes, keepDims, correction).sqrt();
    }

    /** {@code log(sum(exp(x)))} over the axes, shifted by the (constant) max so that nothing overflows. */
    public Tensor logsumexp(int[] axes, boolean keepDims) {
        Tensor shift = of(finiteMax(axes));
        Tensor r = sub(shift).exp().sum(axes, true).log().add(shift);
        return keepDims ? r : r.reshape(reducedShape("logsumexp", axes));
    }

    public Tensor softmax(int axis) {
        Tensor e = sub(of(finiteMax(new int[] {axis}))).exp();
        return e.div(e.sum(new int[] {axis}, true));
    }

    public Tensor logSoftmax(int axis) {
        Tensor shifted = sub(of(finiteMax(new int[] {axis})));
        return shifted.sub(shifted.exp().sum(new int[] {axis}, true).log());
    }

    /** The max over the axes (kept), with infinities replaced by 0 so that {@code x - max} stays finite. */
    private NDArray finiteMax(int[] axes) {
        if (numel() == 0) {
            return NDArray.zeros(dtype(), value.sum(axes, true).shape());
        }
        NDArray m = value.max(axes, true);
        return NDArray.where(m.abs().eq(Double.POSITIVE_INFINITY), NDArray.scalar(0, dtype()), m);
    }

    /** How many elements a reduction over {@code axes} (all when empty) folds into each result. */
    private int reducedCount(String op, int[] axes) {
        boolean[] reduced = Shape.axesMask(op, axes, shape());
        int n = 1;
        for (int d = 0; d < reduced.length; d++) {
            n *= reduced[d] ? size(d) : 1;
        }
        return n;
    }

    /** The shape left after reducing over {@code axes} without keeping them. */
    private int[] reducedShape(String op, int[] axes) {
        boolean[] reduced = Shape.axesMask(op, axes, shape());
        return IntStream.range(0, dim()).filter(d -> !reduced[d]).map(this::size).toArray();
    }

    // ---- shapes and views ------------------------------------------------------------------------

    public Tensor reshape(int... shape) {
        return Ops.reshape(this, shape);
    }

    public Tensor flatten() {
        return reshape(-1);
    }

    public Tensor permute(int... dims) {
        return Ops.permute(this, dims);
    }

    public Tensor transpose(int axis0, int axis1) {
        int[] dims = new int[dim()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i;
        }
        int a = Shape.axis("transpose", axis0, shape());
        int b = Shape.axis("transpose", axis1, shape());
        dims[a] = b;
        dims[b] = a;
        return permute(dims);
    }

    public Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    public Tensor slice(int axis, int start, int end, int step) {
        return Ops.slice(this, axis, start, end, step);
    }

    public Tensor select(int axis, int index) {
        int ax = Shape.axis("select", axis, shape());
        value.select(ax, index);
        int i = index < 0 ? index + size(ax) : index;
        return slice(ax, i, i + 1).squeeze(ax);
    }

    public Tensor expand(int... sizes) {
        return broadcastTo(value.expand(sizes).shape());
    }

    public Tensor broadcastTo(int... shape) {
        return Ops.broadcastTo(this, shape);
    }

    /** The sum down to a shape that broadcasts to this one (the reverse of {@link #broadcastTo}). */
    public Tensor sumTo(int... shape) {
        return Ops.sumTo(this, shape);
    }

    public Tensor squeeze() {
        return reshape(value.squeeze().shape());
    }

    public Tensor squeeze(int axis) {
        return reshape(value.squeeze(axis).shape());
    }

    public Tensor unsqueeze(int axis) {
        return reshape(value.unsqueeze(axis).shape());
    }

    public Tensor contiguous() {
        return value.isContiguous() ? this : Ops.contiguous(this);
    }

    /** This tensor in another dtype; the gradient comes back in this tensor's dtype. */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : Ops.to(this, dtype);
    }

    public static Tensor cat(int axis, Tensor... parts) {
        return Ops.cat(axis, parts);
    }

    public static Tensor stack(int axis, Tensor... parts) {
        Tensor[] expanded = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            expanded[i] = parts[i].unsqueeze(axis);
        }
        return cat(axis, expanded);
    }

    /** Consecutive pieces of {@code size} along {@code axis} (the last may be shorter). */
    public Tensor[] split(int size, int axis) {
        NDArray[] pieces = value.split(size, axis);
        Tensor[] out = new Tensor[pieces.length];
        for (int i = 0, at = 0; i < pieces.length; i++) {
            int n = pieces[i].size(axis);
            out[i] = slice(axis, at, at + n);
            at += n;
        }
        return out;
    }

    /** The slices at {@code index} (whole numbers, 1-D) along {@code axis}; no gradient flows to the index. */
    public Tensor indexSelect(int axis, Tensor index) {
        return Ops.indexSelect(this, axis, index.value);
    }

    /** PyTorch's gather along {@code axis}; no gradient flows to the index. */
    public Tensor gather(int axis, Tensor index) {
        return Ops.gather(this, axis, index.value);
    }

    /** Class indices as one-hot rows; a constant. */
    public Tensor oneHot(int numClasses) {
        return Op.constant(value.oneHot(numClasses));
    }

    // ---- linear algebra --------------------------------------------------------------------------

    /** {@code input + mat1 @ mat2} in one pass, as NDArray's and PyTorch's addmm (see {@link Fused#addmm}). */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2) {
        return Fused.addmm(input, mat1, mat2);
    }

    /** Per row of these logits, the cross-entropy against {@code target}'s rows (see {@link Fused#softmaxCrossEntropy}). */
    public Tensor softmaxCrossEntropy(Tensor target) {
        return Fused.softmaxCrossEntropy(this, target);
    }

    /** True when no element of the value is NaN or infinite. */
    public boolean allFinite() {
        return value.allFinite();
    }

    /** The matrix product with NumPy's rules: a 1-D operand is a row on the left, a column on the right. */
    public Tensor matmul(Tensor other) {
        if (dim() == 0 || other.dim() == 0) {
            value.matmul(other.value);
        }
        Tensor a = dim() == 1 ? unsqueeze(0) : this;
        Tensor b = other.dim() == 1 ? other.unsqueeze(1) : other;
        Tensor r = Ops.matmul(a, b);
        if (dim() == 1) {
            r = r.squeeze(-2);
        }
        return other.dim() == 1 ? r.squeeze(-1) : r;
    }

    // ---- convolution and pooling -----------------------------------------------------------------

    /**
     * The 2-D convolution of this {@code [N, C, H, W]} input with {@code weight} {@code [O, C/groups, kh, kw]}
     * (see {@link NDArray#conv2d(NDArray, ConvParams)}); differentiable in both, to any order.
     *
     * <pre>{@code
     * Tensor y = x.conv2d(w, ConvParams.of(1, 1)).add(b.reshape(-1, 1, 1));
     * }</pre>
     */
    public Tensor conv2d(Tensor weight, ConvParams params) {
        return Ops.conv2d(this, weight, params);
    }

    /** {@link #conv2d(Tensor, ConvParams)} with the same stride and padding on both axes. */
    public Tensor conv2d(Tensor weight, int stride, int padding) {
        return conv2d(weight, ConvParams.of(stride, padding));
    }

    /**
     * The 1-D convolution of this {@code [N, C, L]} input with {@code weight} {@code [O, C/groups, k]}: conv2d
     * over a height-1 view (see {@link NDArray#conv1d(NDArray, int, int, int, int)}).
     */
    public Tensor conv1d(Tensor weight, int stride, int padding, int dilation, int groups) {
        if (dim() != 3 || weight.dim() != 3) {
            value.conv1d(weight.value, stride, padding, dilation, groups);   // throws conv1d's message about the ranks
        }
        ConvParams p = ConvParams.of1d(stride, padding, dilation, groups);
        return unsqueeze(2).conv2d(weight.unsqueeze(2), p).squeeze(2);
    }

    /** Max pooling over each plane of this {@code [N, C, H, W]} tensor; the gradient goes to each window's maximum. */
    public Tensor maxPool2d(PoolParams params) {
        return Ops.maxPool2d(this, params);
    }

    /** {@link #maxPool2d(PoolParams)} with square windows, stride = kernel, no padding. */
    public Tensor maxPool2d(int kernel) {
        return maxPool2d(PoolParams.of(kernel));
    }

    /** Average pooling over each plane of this {@code [N, C, H, W]} tensor (see {@link NDArray#avgPool2d(PoolParams, boolean)}). */
    public Tensor avgPool2d(PoolParams params, boolean countIncludePad) {
        return Ops.avgPool2d(this, params, countIncludePad);
    }

    /** {@link #avgPool2d(PoolParams, boolean)} with square windows, stride = kernel, no padding. */
    public Tensor avgPool2d(int kernel) {
        return avgPool2d(PoolParams.of(kernel), true);
    }

    private Tensor constant(double s) {
        return of(NDArray.scalar(s, dtype()));
    }

    @Override
    public String toString() {
        String v = value.toString();
        String extra = node != null ? ", gradFn=" + node.op : requiresGrad ? ", requiresGrad=true" : "";
        // The array's rows are indented under "array("; "tensor(" is one character longer.
        String body = v.substring("array(".length(), v.length() - 1).replace("\n", "\n ");
        return "tensor(" + body + extra + ")";
    }
}
