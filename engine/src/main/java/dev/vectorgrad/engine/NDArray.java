package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.BinaryOp;
import dev.vectorgrad.engine.kernels.Kernels;
import dev.vectorgrad.engine.kernels.ReduceOp;
import dev.vectorgrad.engine.kernels.UnaryOp;
import java.util.Arrays;

/**
 * An n-dimensional array of FLOAT32 or FLOAT64 numbers: a shape, strides and an offset over flat
 * storage. Views (reshape, permute, slice, expand, ...) share the storage; ops return new arrays unless
 * their name ends in {@code InPlace}. Names and semantics follow PyTorch, broadcasting follows NumPy.
 *
 * <pre>{@code
 * NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
 * NDArray y = x.sub(x.mean(new int[] {1}, true)).exp().sum(1);   // shape [2]
 * }</pre>
 *
 * <p>Not thread-safe for writes: in-place ops on one storage from several threads race.
 */
public final class NDArray {

    final Storage storage;
    final DType dtype;
    final int[] shape;
    final int[] strides;
    final int offset;

    NDArray(Storage storage, DType dtype, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ---- creation ------------------------------------------------------------------------------

    /** A contiguous zero-filled array: the start of every op's result. */
    static NDArray empty(DType dtype, int[] shape) {
        return empty("empty", dtype, shape);
    }

    /** {@link #empty(DType, int[])} for a public creation op, which names itself when the shape is bad. */
    private static NDArray empty(String op, DType dtype, int[] shape) {
        int n = Shape.numel(op, shape);
        return new NDArray(new Storage(dtype.kernels().allocate(n)), dtype, shape.clone(),
                Shape.contiguousStrides(shape), 0);
    }

    /** A FLOAT32 array holding a copy of {@code data} in row-major order: {@code NDArray.of(new float[] {1, 2}, 2)}. */
    public static NDArray of(float[] data, int... shape) {
        return fill(DType.FLOAT32, data, data.length, shape);
    }

    /** A FLOAT64 array holding a copy of {@code data} in row-major order: {@code NDArray.of(new double[] {1, 2}, 2)}. */
    public static NDArray of(double[] data, int... shape) {
        return fill(DType.FLOAT64, data, data.length, shape);
    }

    private static NDArray fill(DType dtype, Object data, int length, int[] shape) {
        int n = Shape.numel("of", shape);
        if (length != n) {
            throw new IllegalArgumentException("of: " + length + " values do not fill shape " + Shape.format(shape)
                    + " (" + n + " elements)");
        }
        NDArray out = empty(dtype, shape);
        System.arraycopy(data, 0, out.storage.data, 0, n);
        return out;
    }

    /** A 0-dimensional array holding {@code value}. */
    public static NDArray scalar(double value, DType dtype) {
        return full(dtype, value);
    }

    public static NDArray zeros(int... shape) {
        return zeros(DType.FLOAT32, shape);
    }

    public static NDArray zeros(DType dtype, int... shape) {
        return empty("zeros", dtype, shape);
    }

    public static NDArray ones(int... shape) {
        return ones(DType.FLOAT32, shape);
    }

    public static NDArray ones(DType dtype, int... shape) {
        return full(dtype, 1, shape);
    }

    /** Every element {@code value}: {@code NDArray.full(DType.FLOAT32, 0.5, 2, 2)}. */
    public static NDArray full(DType dtype, double value, int... shape) {
        NDArray out = empty("full", dtype, shape);
        dtype.kernels().fill(out.storage.data, 0, out.numel(), value);
        return out;
    }

    /** {@code start, start + step, ...} below {@code end} (above it for a negative step), as torch.arange. */
    public static NDArray arange(DType dtype, double start, double end, double step) {
        if (step == 0 || !Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("arange: needs finite bounds and a non-zero step, got start " + start
                    + ", end " + end + ", step " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        NDArray out = empty(dtype, new int[] {n});
        Kernels k = dtype.kernels();
        for (int i = 0; i < n; i++) {
            k.set(out.storage.data, i, start + i * step);
        }
        return out;
    }

    /** {@code 0, 1, ..., end - 1} in FLOAT32. */
    public static NDArray arange(int end) {
        return arange(DType.FLOAT32, 0, end, 1);
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive. */
    public static NDArray linspace(DType dtype, double start, double end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: negative number of steps " + steps);
        }
        NDArray out = empty(dtype, new int[] {steps});
        Kernels k = dtype.kernels();
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) {
            k.set(out.storage.data, i, i == steps - 1 && steps > 1 ? end : start + i * step);
        }
        return out;
    }

    /** The {@code n x n} identity matrix. */
    public static NDArray eye(DType dtype, int n) {
        return eye(dtype, n, n);
    }

    /** The {@code rows x cols} matrix with ones on the main diagonal. */
    public static NDArray eye(DType dtype, int rows, int cols) {
        NDArray out = empty(dtype, new int[] {rows, cols});
        for (int i = 0; i < Math.min(rows, cols); i++) {
            dtype.kernels().set(out.storage.data, i * cols + i, 1);
        }
        return out;
    }

    /** Uniform in {@code [0, 1)}, FLOAT32: {@code NDArray.rand(new Generator(0), 2, 3)}. */
    public static NDArray rand(Generator g, int... shape) {
        return uniform(g, DType.FLOAT32, 0, 1, shape);
    }

    /** Uniform in {@code [low, high)}. */
    public static NDArray uniform(Generator g, DType dtype, double low, double high, int... shape) {
        NDArray out = empty("uniform", dtype, shape);
        Kernels k = dtype.kernels();
        for (int i = 0, n = out.numel(); i < n; i++) {
            double u = dtype == DType.FLOAT32 ? g.nextFloat() : g.nextDouble();
            k.set(out.storage.data, i, low + (high - low) * u);
        }
        return out;
    }

    /** Standard normal, FLOAT32: {@code NDArray.randn(new Generator(0), 2, 3)}. */
    public static NDArray randn(Generator g, int... shape) {
        return randn(g, DType.FLOAT32, shape);
    }

    public static NDArray randn(Generator g, DType dtype, int... shape) {
        NDArray out = empty("randn", dtype, shape);
        Kernels k = dtype.kernels();
        for (int i = 0, n = out.numel(); i < n; i++) {
            k.set(out.storage.data, i, g.nextGaussian());
        }
        return out;
    }

    // ---- properties ----------------------------------------------------------------------------

    public DType dtype() {
        return dtype;
    }

    /** The dimensions, a copy. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of one dimension; a negative axis counts from the end. */
    public int size(int axis) {
        return shape[Shape.axis("size", axis, shape)];
    }

    /** Steps in elements between neighbours along each dimension, a copy. */
    public int[] strides() {
        return strides.clone();
    }

    /** Where element {@code [0, ..., 0]} lies in the storage. */
    public int offset() {
        return offset;
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public int numel() {
        return Shape.numel("numel", shape);
    }

    /** How many in-place writes the storage behind this array has had (shared by all its views). */
    public int version() {
        return storage.version();
    }

    /** True when the elements lie in row-major order without gaps (always, when there are none). */
    public boolean isContiguous() {
        if (numel() == 0) {
            return true;
        }
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    Object data() {
        return storage.data;
    }

    NDArray view(int[] newShape, int[] newStrides, int newOffset) {
        return new NDArray(storage, dtype, newShape, newStrides, newOffset);
    }

    // ---- elements out --------------------------------------------------------------------------

    /** The elements in row-major order as floats. */
    public float[] toFloatArray() {
        return (float[]) to(DType.FLOAT32).contiguousCopy().storage.data;
    }

    /** The elements in row-major order as doubles. */
    public double[] toDoubleArray() {
        return (double[]) to(DType.FLOAT64).contiguousCopy().storage.data;
    }

    private NDArray contiguousCopy() {
        NDArray out = empty(dtype, shape);
        Elementwise.copy(this, out);
        return out;
    }

    /** The one element of a single-element array. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: array of shape " + Shape.format(shape) + " has " + numel()
                    + " elements, not one");
        }
        return dtype.kernels().get(storage.data, offset);
    }

    /** The element at a full index: {@code x.get(1, 2)}. */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " does not have one entry per"
                    + " dimension of shape " + Shape.format(shape));
        }
        int at = offset;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " is out of bounds for shape "
                        + Shape.format(shape));
            }
            at += index[d] * strides[d];
        }
        return dtype.kernels().get(storage.data, at);
    }

    /** This array in another dtype: itself when it already has it. */
    public NDArray to(DType target) {
        if (target == dtype) {
            return this;
        }
        NDArray out = empty(target, shape);
        Elementwise.copy(this, out);
        return out;
    }

    /** Itself when contiguous, else a contiguous copy. */
    public NDArray contiguous() {
        return isContiguous() ? this : contiguousCopy();
    }

    /** A contiguous copy that shares nothing with this array. */
    public NDArray copy() {
        return contiguousCopy();
    }

    // ---- views ---------------------------------------------------------------------------------

    /** The same elements in another shape (one dimension may be -1); a view when strides allow, else a copy. */
    public NDArray reshape(int... shape) {
        return Views.reshape(this, shape);
    }

    /** A 1-D view (or copy) of all elements. */
    public NDArray flatten() {
        return reshape(-1);
    }

    /** Axes reordered: axis {@code i} of the result is axis {@code dims[i]} of this. */
    public NDArray permute(int... dims) {
        return Views.permute(this, dims);
    }

    /** Two axes swapped. */
    public NDArray transpose(int axis0, int axis1) {
        return Views.transpose(this, axis0, axis1);
    }

    /** {@code x[start:end]} along an axis, Python's rules for negative and out-of-range bounds. */
    public NDArray slice(int axis, int start, int end) {
        return Views.slice(this, axis, start, end, 1);
    }

    /** {@code x[start:end:step]} along an axis, {@code step > 0}. */
    public NDArray slice(int axis, int start, int end, int step) {
        return Views.slice(this, axis, start, end, step);
    }

    /** The sub-array at one index of an axis, that axis removed ({@code x[i]} for axis 0). */
    public NDArray select(int axis, int index) {
        return Views.select(this, axis, index);
    }

    /** Size-1 dimensions repeated to the given sizes without copying; -1 keeps a size. */
    public NDArray expand(int... sizes) {
        return Views.expand("expand", this, sizes);
    }

    /** This array viewed with a shape it broadcasts to. */
    public NDArray broadcastTo(int... shape) {
        if (Arrays.equals(shape, this.shape)) {
            return this;
        }
        return Views.expand("broadcastTo", this, shape);
    }

    /** All size-1 dimensions removed. */
    public NDArray squeeze() {
        return Views.squeeze(this);
    }

    /** One axis removed if its size is 1 (unchanged otherwise, as in PyTorch). */
    public NDArray squeeze(int axis) {
        return Views.squeeze(this, axis);
    }

    /** A size-1 axis inserted at position {@code axis} ({@code -1} appends). */
    public NDArray unsqueeze(int axis) {
        return Views.unsqueeze(this, axis);
    }

    // ---- elementwise ---------------------------------------------------------------------------

    public NDArray add(NDArray other) {
        return Elementwise.binary("add", BinaryOp.ADD, this, other);
    }

    public NDArray add(double s) {
        return Elementwise.binary("add", BinaryOp.ADD, this, s);
    }

    public NDArray sub(NDArray other) {
        return Elementwise.binary("sub", BinaryOp.SUB, this, other);
    }

    public NDArray sub(double s) {
        return Elementwise.binary("sub", BinaryOp.SUB, this, s);
    }

    public NDArray mul(NDArray other) {
        return Elementwise.binary("mul", BinaryOp.MUL, this, other);
    }

    public NDArray mul(double s) {
        return Elementwise.binary("mul", BinaryOp.MUL, this, s);
    }

    public NDArray div(NDArray other) {
        return Elementwise.binary("div", BinaryOp.DIV, this, other);
    }

    public NDArray div(double s) {
        return Elementwise.binary("div", BinaryOp.DIV, this, s);
    }

    public NDArray pow(NDArray exponent) {
        return Elementwise.binary("pow", BinaryOp.POW, this, exponent);
    }

    public NDArray pow(double exponent) {
        return Elementwise.binary("pow", BinaryOp.POW, this, exponent);
    }

    /** The elementwise larger of the two; NaN wins, as in PyTorch. */
    public NDArray maximum(NDArray other) {
        return Elementwise.binary("maximum", BinaryOp.MAX, this, other);
    }

    public NDArray maximum(double s) {
        return Elementwise.binary("maximum", BinaryOp.MAX, this, s);
    }

    /** The elementwise smaller of the two; NaN wins, as in PyTorch. */
    public NDArray minimum(NDArray other) {
        return Elementwise.binary("minimum", BinaryOp.MIN, this, other);
    }

    public NDArray minimum(double s) {
        return Elementwise.binary("minimum", BinaryOp.MIN, this, s);
    }

    /** 1 where equal, else 0 (in the promoted dtype). */
    public NDArray eq(NDArray other) {
        return Elementwise.binary("eq", BinaryOp.EQ, this, other);
    }

    public NDArray eq(double s) {
        return Elementwise.binary("eq", BinaryOp.EQ, this, s);
    }

    public NDArray ne(NDArray other) {
        return Elementwise.binary("ne", BinaryOp.NE, this, other);
    }

    public NDArray ne(double s) {
        return Elementwise.binary("ne", BinaryOp.NE, this, s);
    }

    public NDArray lt(NDArray other) {
        return Elementwise.binary("lt", BinaryOp.LT, this, other);
    }

    public NDArray lt(double s) {
        return Elementwise.binary("lt", BinaryOp.LT, this, s);
    }

    public NDArray le(NDArray other) {
        return Elementwise.binary("le", BinaryOp.LE, this, other);
    }

    public NDArray le(double s) {
        return Elementwise.binary("le", BinaryOp.LE, this, s);
    }

    public NDArray gt(NDArray other) {
        return Elementwise.binary("gt", BinaryOp.GT, this, other);
    }

    public NDArray gt(double s) {
        return Elementwise.binary("gt", BinaryOp.GT, this, s);
    }

    public NDArray ge(NDArray other) {
        return Elementwise.binary("ge", BinaryOp.GE, this, other);
    }

    public NDArray ge(double s) {
        return Elementwise.binary("ge", BinaryOp.GE, this, s);
    }

    /** {@code a} where {@code condition} is non-zero, else {@code b}; all three broadcast. */
    public static NDArray where(NDArray condition, NDArray a, NDArray b) {
        return Elementwise.where(condition, a, b);
    }

    public NDArray neg() {
        return Elementwise.unary(UnaryOp.NEG, this);
    }

    public NDArray abs() {
        return Elementwise.unary(UnaryOp.ABS, this);
    }

    public NDArray exp() {
        return Elementwise.unary(UnaryOp.EXP, this);
    }

    public NDArray log() {
        return Elementwise.unary(UnaryOp.LOG, this);
    }

    /** {@code log(1 + x)}, accurate for small {@code x}. */
    public NDArray log1p() {
        return Elementwise.unary(UnaryOp.LOG1P, this);
    }

    public NDArray sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, this);
    }

    /** {@code 1 / sqrt(x)}. */
    public NDArray rsqrt() {
        return Elementwise.unary(UnaryOp.RSQRT, this);
    }

    public NDArray tanh() {
        return Elementwise.unary(UnaryOp.TANH, this);
    }

    /** {@code 1 / (1 + exp(-x))}. */
    public NDArray sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, this);
    }

    /** {@code max(x, 0)}. */
    public NDArray relu() {
        return Elementwise.unary(UnaryOp.RELU, this);
    }

    public NDArray sin() {
        return Elementwise.unary(UnaryOp.SIN, this);
    }

    public NDArray cos() {
        return Elementwise.unary(UnaryOp.COS, this);
    }

    /** -1, 0 or 1 by the sign of each element; ±0 and NaN are kept. */
    public NDArray sign() {
        return Elementwise.unary(UnaryOp.SIGN, this);
    }

    /**
     * The error function, {@code 2/sqrt(pi)} times the integral of {@code exp(-t^2)} from 0 to x: within 2
     * ulps in both dtypes.
     *
     * <pre>{@code
     * NDArray y = NDArray.of(new double[] {0, 0.5, -3}, 3).erf();   // [0.0, 0.5205..., -0.99997...]
     * }</pre>
     */
    public NDArray erf() {
        return Elementwise.unary(UnaryOp.ERF, this);
    }

    /**
     * The exact GELU, {@code x/2 (1 + erf(x / sqrt 2))} (PyTorch's default, {@code approximate='none'}),
     * computed without cancellation for negative x: within 4 ulps wherever the result is a normal number
     * (PyTorch's loses all digits below x = -5.5 in FLOAT32).
     */
    public NDArray gelu() {
        return gelu("none");
    }

    /**
     * GELU as PyTorch's {@code gelu(x, approximate=...)}: {@code "none"} (exact) or {@code "tanh"},
     * {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, computed as {@code x sigmoid(2z)}, within
     * {@code 3 + 3|2z|} ulps (the rounding of z, magnified by exp). -Inf gives -0, the limit (PyTorch: NaN).
     *
     * <pre>{@code
     * NDArray y = x.gelu("tanh");
     * }</pre>
     */
    public NDArray gelu(String approximate) {
        return Elementwise.unary(switch (approximate) {
            case "none" -> UnaryOp.GELU;
            case "tanh" -> UnaryOp.GELU_TANH;
            default -> throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got '"
                    + approximate + "'");
        }, this);
    }

    /** Each element limited to {@code [min, max]}. */
    public NDArray clamp(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        return maximum(min).minimum(max);
    }

    // ---- in place ------------------------------------------------------------------------------

    /** {@code this += other} ({@code other} broadcast to this shape); returns this. */
    public NDArray addInPlace(NDArray other) {
        return Elementwise.binaryInPlace("addInPlace", BinaryOp.ADD, this, other);
    }

    /** {@code this += alpha * other}, as PyTorch's {@code add_(other, alpha=alpha)}; returns this. */
    public NDArray addInPlace(NDArray other, double alpha) {
        return Elementwise.axpyInPlace(this, other, alpha);
    }

    public NDArray addInPlace(double s) {
        return Elementwise.binaryInPlace("addInPlace", BinaryOp.ADD, this, scalar(s, dtype));
    }

    public NDArray subInPlace(NDArray other) {
        return Elementwise.binaryInPlace("subInPlace", BinaryOp.SUB, this, other);
    }

    public NDArray subInPlace(double s) {
        return Elementwise.binaryInPlace("subInPlace", BinaryOp.SUB, this, scalar(s, dtype));
    }

    public NDArray mulInPlace(NDArray other) {
        return Elementwise.binaryInPlace("mulInPlace", BinaryOp.MUL, this, other);
    }

    public NDArray mulInPlace(double s) {
        return Elementwise.binaryInPlace("mulInPlace", BinaryOp.MUL, this, scalar(s, dtype));
    }

    public NDArray divInPlace(NDArray other) {
        return Elementwise.binaryInPlace("divInPlace", BinaryOp.DIV, this, other);
    }

    public NDArray divInPlace(double s) {
        return Elementwise.binaryInPlace("divInPlace", BinaryOp.DIV, this, scalar(s, dtype));
    }

    /** Overwrites this array's elements with {@code src} (broadcast, converted); returns this. */
    public NDArray copyFrom(NDArray src) {
        return Elementwise.copyInto(this, src);
    }

    /** Sets every element to {@code value}; returns this. */
    public NDArray fill(double value) {
        return Elementwise.fill(this, value);
    }

    // ---- reductions ----------------------------------------------------------------------------

    /** The sum of all elements, a 0-dimensional array. */
    public NDArray sum() {
        return sum(new int[0], false);
    }

    /** Sums over the given axes (all when none are given), removing them. */
    public NDArray sum(int... axes) {
        return sum(axes, false);
    }

    public NDArray sum(int[] axes, boolean keepDims) {
        return Reductions.reduce("sum", ReduceOp.SUM, this, axes, keepDims);
    }

    public NDArray mean() {
        return mean(new int[0], false);
    }

    public NDArray mean(int... axes) {
        return mean(axes, false);
    }

    public NDArray mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    public NDArray max() {
        return max(new int[0], false);
    }

    /** The largest element over the given axes (values only; see {@link #argmax(int, boolean)}). */
    public NDArray max(int... axes) {
        return max(axes, false);
    }

    public NDArray max(int[] axes, boolean keepDims) {
        return Reductions.reduce("max", ReduceOp.MAX, this, axes, keepDims);
    }

    public NDArray min() {
        return min(new int[0], false);
    }

    public NDArray min(int... axes) {
        return min(axes, false);
    }

    public NDArray min(int[] axes, boolean keepDims) {
        return Reductions.reduce("min", ReduceOp.MIN, this, axes, keepDims);
    }

    /** The index of the first largest element of the flattened array. */
    public NDArray argmax() {
        return flatten().argmax(0, false);
    }

    /** The index of the first largest element along an axis, as whole numbers in this dtype. */
    public NDArray argmax(int axis, boolean keepDims) {
        return Reductions.argReduce("argmax", ReduceOp.MAX, this, axis, keepDims);
    }

    public NDArray argmin() {
        return flatten().argmin(0, false);
    }

    public NDArray argmin(int axis, boolean keepDims) {
        return Reductions.argReduce("argmin", ReduceOp.MIN, this, axis, keepDims);
    }

    /** The variance of all elements with Bessel's correction (divides by n - 1), as torch.var. */
    public NDArray var() {
        return var(new int[0], false, 1);
    }

    public NDArray var(int... axes) {
        return var(axes, false, 1);
    }

    /** The variance over the given axes, dividing by {@code n - correction}. */
    public NDArray var(int[] axes, boolean keepDims, int correction) {
        return Reductions.var(this, axes, keepDims, correction);
    }

    public NDArray std() {
        return var().sqrt();
    }

    public NDArray std(int... axes) {
        return var(axes).sqrt();
    }

    public NDArray std(int[] axes, boolean keepDims, int correction) {
        return var(axes, keepDims, correction).sqrt();
    }

    /** {@code log(sum(exp(x)))} over the given axes, without overflow. */
    public NDArray logsumexp(int... axes) {
        return logsumexp(axes, false);
    }

    public NDArray logsumexp(int[] axes, boolean keepDims) {
        return Reductions.logsumexp(this, axes, keepDims);
    }

    /** {@code exp(x) / sum(exp(x))} along an axis, computed after subtracting the max. */
    public NDArray softmax(int axis) {
        return Reductions.softmax(this, axis);
    }

    /** {@code x - logsumexp(x)} along an axis: finite and exact where softmax underflows. */
    public NDArray logSoftmax(int axis) {
        return Reductions.logSoftmax(this, axis);
    }

    /**
     * Per row of these logits {@code [rows, classes]}: {@code -sum_c target[r, c] logSoftmax(this)[r, c]}, in
     * one pass per row, finite for logits of any size. The target need not sum to one per row.
     *
     * <pre>{@code
     * NDArray perRow = logits.softmaxCrossEntropy(labels.oneHot(10));   // shape [rows]
     * }</pre>
     */
    public NDArray softmaxCrossEntropy(NDArray target) {
        return Reductions.softmaxCrossEntropy(this, target);
    }

    /**
     * The gradient of {@link #softmaxCrossEntropy} with respect to these logits, for the gradient
     * {@code g [rows]} of its result: {@code g[r] (sum_c target[r, c] softmax(this)[r, c] - target[r, c])}.
     *
     * <pre>{@code
     * NDArray dLogits = logits.softmaxCrossEntropyBackward(target, NDArray.ones(rows));
     * }</pre>
     */
    public NDArray softmaxCrossEntropyBackward(NDArray target, NDArray g) {
        return Reductions.softmaxCrossEntropyBackward(this, target, g);
    }

    // ---- joining, splitting, indexing ----------------------------------------------------------

    /** Arrays joined along an existing axis: {@code NDArray.cat(0, a, b)}. */
    public static NDArray cat(int axis, NDArray... arrays) {
        return Joins.cat(axis, arrays);
    }

    /** Equal-shaped arrays joined along a new axis. */
    public static NDArray stack(int axis, NDArray... arrays) {
        return Joins.stack(axis, arrays);
    }

    /** Views of consecutive pieces of {@code size} along {@code axis} (the last may be shorter). */
    public NDArray[] split(int size, int axis) {
        return Joins.split(this, size, axis);
    }

    /** Views of consecutive pieces of the given sizes along {@code axis}. */
    public NDArray[] split(int[] sizes, int axis) {
        return Joins.split(this, sizes, axis);
    }

    /** The slices at the given indices (a 1-D array of whole numbers) along {@code axis}. */
    public NDArray indexSelect(int axis, NDArray index) {
        return Indexing.indexSelect(this, axis, index);
    }

    /** PyTorch's gather: {@code out[i][j] = x[i][index[i][j]]} for {@code axis = 1}. */
    public NDArray gather(int axis, NDArray index) {
        return Indexing.gather(this, axis, index);
    }

    /** Adds the slices of {@code source} into the slices at {@code index} along {@code axis} (PyTorch's index_add_). */
    public NDArray indexAddInPlace(int axis, NDArray index, NDArray source) {
        return Indexing.indexAddInPlace(this, axis, index, source);
    }

    /** Adds each element of {@code source} at the position {@code index} names along {@code axis} (scatter_add_). */
    public NDArray scatterAddInPlace(int axis, NDArray index, NDArray source) {
        return Indexing.scatterAddInPlace(this, axis, index, source);
    }

    /** This array of class indices as one-hot rows of {@code numClasses} (-1: the largest index + 1). */
    public NDArray oneHot(int numClasses) {
        return Indexing.oneHot(this, numClasses);
    }

    // ---- linear algebra ------------------------------------------------------------------------

    /** The matrix product with NumPy's rules for 1-D and batched operands. */
    public NDArray matmul(NDArray other) {
        return MatMul.matmul(this, other);
    }

    /**
     * {@code input + mat1 @ mat2} for 2-D {@code mat1 [n, m]} and {@code mat2 [m, p]}, {@code input}
     * broadcast to {@code [n, p]}, as PyTorch's addmm: the product accumulates onto {@code input}, so a
     * layer's bias costs no pass of its own.
     *
     * <pre>{@code
     * NDArray y = NDArray.addmm(bias, x, weight.transpose(0, 1));   // a Linear layer's forward
     * }</pre>
     */
    public static NDArray addmm(NDArray input, NDArray mat1, NDArray mat2) {
        return MatMul.addmm(input, mat1, mat2);
    }

    // ---- convolution and pooling ---------------------------------------------------------------

    /**
     * The 2-D convolution (cross-correlation, as PyTorch's conv2d without bias) of this input
     * {@code [N, C, H, W]} with {@code weight} {@code [O, C/groups, kh, kw]}: an output {@code [N, O, OH, OW]}
     * with {@code OH = (H + 2 padH - dilationH (kh - 1) - 1) / strideH + 1} and likewise for OW.
     *
     * <pre>{@code
     * NDArray y = x.conv2d(w, ConvParams.of(1, 1));   // x [32, 3, 32, 32], w [16, 3, 3, 3] -> y [32, 16, 32, 32]
     * NDArray z = x.conv2d(w, ConvParams.of(2, 1, 1, 1));   // stride 2: [32, 16, 16, 16]
     * }</pre>
     */
    public NDArray conv2d(NDArray weight, ConvParams params) {
        return Conv.conv2d(this, weight, params);
    }

    /** {@link #conv2d(NDArray, ConvParams)} with stride 1 and no padding. */
    public NDArray conv2d(NDArray weight) {
        return conv2d(weight, ConvParams.DEFAULT);
    }

    /** {@link #conv2d(NDArray, ConvParams)} with the same stride and padding on both axes. */
    public NDArray conv2d(NDArray weight, int stride, int padding) {
        return conv2d(weight, ConvParams.of(stride, padding));
    }

    /** PyTorch's signature: each of stride, padding and dilation is {@code {both}} or {@code {height, width}}. */
    public NDArray conv2d(NDArray weight, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv2d(weight, ConvParams.of(stride, padding, dilation, groups));
    }

    /**
     * The gradient of {@link #conv2d} with respect to its input, given the gradient of its output (a
     * transposed convolution), as PyTorch's {@code torch.nn.grad.conv2d_input}. The input shape is needed
     * because several input sizes give one output size when the stride is above 1.
     *
     * <pre>{@code
     * NDArray y = x.conv2d(w, p);
     * NDArray dx = NDArray.conv2dInputGrad(x.shape(), w, dy, p);   // dy has y's shape
     * }</pre>
     */
    public static NDArray conv2dInputGrad(int[] inputShape, NDArray weight, NDArray gradOutput, ConvParams params) {
        return Conv.inputGrad(inputShape, weight, gradOutput, params);
    }

    /**
     * The gradient of {@link #conv2d} with respect to its weight, given its input and the gradient of its
     * output, as PyTorch's {@code torch.nn.grad.conv2d_weight}: the same bits with any thread count.
     *
     * <pre>{@code
     * NDArray y = x.conv2d(w, p);
     * NDArray dw = NDArray.conv2dWeightGrad(x, w.shape(), dy, p);
     * }</pre>
     */
    public static NDArray conv2dWeightGrad(NDArray input, int[] weightShape, NDArray gradOutput, ConvParams params) {
        return Conv.weightGrad(input, weightShape, gradOutput, params);
    }

    /**
     * The 1-D convolution of this input {@code [N, C, L]} with {@code weight} {@code [O, C/groups, k]}, as
     * PyTorch's conv1d: {@link #conv2d} over a height-1 view of both (errors past the ranks name conv2d and
     * show that view).
     *
     * <pre>{@code
     * NDArray y = x.conv1d(w, 1, 2, 2, 1);   // stride 1, padding 2, dilation 2: a length-preserving k=3 filter
     * }</pre>
     */
    public NDArray conv1d(NDArray weight, int stride, int padding, int dilation, int groups) {
        if (dim() != 3 || weight.dim() != 3) {
            throw new IllegalArgumentException("conv1d: input must be 3-D [batch, channels, length] and weight 3-D [out"
                    + " channels, in channels / groups, kernel], got " + Shape.format(shape) + " and "
                    + Shape.format(weight.shape));
        }
        return unsqueeze(2).conv2d(weight.unsqueeze(2), ConvParams.of1d(stride, padding, dilation, groups)).squeeze(2);
    }

    /** {@link #conv1d(NDArray, int, int, int, int)} with stride 1 and no padding. */
    public NDArray conv1d(NDArray weight) {
        return conv1d(weight, 1, 0, 1, 1);
    }

    /**
     * The largest element of each window of each plane of this {@code [N, C, H, W]} array, as PyTorch's
     * max_pool2d (padding never wins; NaN does).
     *
     * <pre>{@code
     * NDArray y = x.maxPool2d(PoolParams.of(2));   // [N, C, H/2, W/2]
     * }</pre>
     */
    public NDArray maxPool2d(PoolParams params) {
        return Pooling.maxPool2d(this, params)[0];
    }

    /** {@link #maxPool2d(PoolParams)} with square windows, stride = kernel, no padding. */
    public NDArray maxPool2d(int kernel) {
        return maxPool2d(PoolParams.of(kernel));
    }

    /**
     * {@code {values, indices}}: {@link #maxPool2d(PoolParams)} and, for each output, the position
     * {@code h*W + w} of its maximum in its input plane (the first among ties), as whole numbers in this
     * array's dtype, as PyTorch's {@code return_indices=True}.
     *
     * <pre>{@code
     * NDArray[] r = x.maxPool2dWithIndices(PoolParams.of(2));
     * NDArray dx = NDArray.maxPool2dBackward(dy, r[1], x.shape());
     * }</pre>
     */
    public NDArray[] maxPool2dWithIndices(PoolParams params) {
        return Pooling.maxPool2d(this, params);
    }

    /**
     * The gradient of max pooling with respect to its input: each output's gradient added at the position
     * its index names in its plane, zeros elsewhere.
     */
    public static NDArray maxPool2dBackward(NDArray gradOutput, NDArray indices, int[] inputShape) {
        return Pooling.maxPool2dBackward(gradOutput, indices, inputShape);
    }

    /**
     * The mean of each window of each plane of this {@code [N, C, H, W]} array, as PyTorch's avg_pool2d;
     * with {@code countIncludePad} (PyTorch's default) padding counts in the divisor.
     *
     * <pre>{@code
     * NDArray y = x.avgPool2d(PoolParams.of(3, 2, 1), true);
     * }</pre>
     */
    public NDArray avgPool2d(PoolParams params, boolean countIncludePad) {
        return Pooling.avgPool2d(this, params, countIncludePad);
    }

    /** {@link #avgPool2d(PoolParams, boolean)} with square windows, stride = kernel, no padding. */
    public NDArray avgPool2d(int kernel) {
        return avgPool2d(PoolParams.of(kernel), true);
    }

    /** The gradient of average pooling with respect to its input: each output's share spread over its window. */
    public static NDArray avgPool2dBackward(NDArray gradOutput, int[] inputShape, PoolParams params, boolean countIncludePad) {
        return Pooling.avgPool2dBackward(gradOutput, inputShape, params, countIncludePad);
    }

    /**
     * True when no element is NaN or infinite (and for an empty array), in one pass over the elements.
     *
     * <pre>{@code
     * if (!grad.allFinite()) { ... }   // NaN or Inf somewhere
     * }</pre>
     */
    public boolean allFinite() {
        NDArray c = contiguous();
        return dtype.kernels().allFinite(c.storage.data, c.offset, c.numel());
    }

    /** True when every element is within {@code atol + rtol * |other|} of {@code other} (broadcast). */
    public boolean allClose(NDArray other, double rtol, double atol) {
        NDArray tolerance = other.abs().mul(rtol).add(atol);
        NDArray bad = sub(other).abs().gt(tolerance).add(isNan().ne(other.isNan()));
        return bad.sum().item() == 0;
    }

    private NDArray isNan() {
        return ne(this);
    }

    @Override
    public String toString() {
        return Printer.toString(this);
    }
}
