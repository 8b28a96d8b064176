package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.DoubleKernels;
import dev.vectorgrad.engine.kernels.FloatKernels;
import dev.vectorgrad.engine.kernels.Kernels;

/**
 * The element type of an {@link NDArray}. FLOAT64 exists so that gradient checks can be exact; when two
 * dtypes meet in one op the result is the wider one, as in PyTorch.
 *
 * <pre>{@code
 * NDArray x = NDArray.ones(DType.FLOAT64, 2, 3);
 * DType d = DType.promote(DType.FLOAT32, x.dtype());   // FLOAT64
 * }</pre>
 */
public enum DType {
    FLOAT32(4, FloatKernels.INSTANCE),
    FLOAT64(8, DoubleKernels.INSTANCE);

    private final int byteSize;
    private final Kernels kernels;

    DType(int byteSize, Kernels kernels) {
        this.byteSize = byteSize;
        this.kernels = kernels;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The kernels that compute on arrays of this dtype. */
    public Kernels kernels() {
        return kernels;
    }

    /** The dtype of an op's result when its inputs are {@code a} and {@code b}: the wider one. */
    public static DType promote(DType a, DType b) {
        return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
    }
}
