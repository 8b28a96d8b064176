package dev.vectorgrad.autodiff;

import dev.vectorgrad.engine.NDArray;

/**
 * A second form of a gradient rule, for ops whose input gradient is the output's gradient placed into
 * part of the input (slice, indexSelect, gather): it adds {@code g} into {@code acc}, an array of the
 * input's shape that backward owns. Backward uses it when it records no graph, so that the hundred
 * slices of an unrolled RNN cost a hundred slice-sized adds, not a hundred input-sized zero arrays summed
 * together; the op's {@link Backward} rule serves when the gradient's own graph is recorded.
 */
@FunctionalInterface
interface Scatter {
    void addInto(int input, Tensor g, NDArray acc);
}
