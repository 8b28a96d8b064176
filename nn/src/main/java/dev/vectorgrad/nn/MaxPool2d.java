package dev.vectorgrad.nn;

import dev.vectorgrad.engine.PoolParams;

/**
 * The largest value of each window of each plane of {@code [N, C, H, W]}, as PyTorch's MaxPool2d; the
 * stride defaults to the kernel.
 *
 * <pre>{@code
 * Module pool = new MaxPool2d(2);                                  // [N, C, 32, 32] -> [N, C, 16, 16]
 * Module overlap = new MaxPool2d(PoolParams.of(3, 2, 1));          // 3x3 windows, stride 2, padding 1
 * }</pre>
 */
public final class MaxPool2d extends Activation {

    public MaxPool2d(int kernel) {
        this(PoolParams.of(kernel));
    }

    public MaxPool2d(PoolParams params) {
        super("MaxPool2d(" + AvgPool2d.describe(params) + ")", x -> x.maxPool2d(params));
    }
}
