package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * What {@link MultiheadAttention} returns: the attended values (in the input's layout) and the attention
 * weights averaged over the heads, {@code [batch, targetLength, sourceLength]}, as PyTorch's default.
 *
 * <pre>{@code
 * AttentionOutput a = mha.forward(q, k, v, null, true);
 * Tensor y = a.output();
 * }</pre>
 */
public record AttentionOutput(Tensor output, Tensor weights) {
}
