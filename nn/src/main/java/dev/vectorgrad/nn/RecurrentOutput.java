package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * What {@link RNN} and {@link GRU} return: the last layer's hidden state at every step and each layer's
 * final hidden state ({@code [numLayers, batch, hidden]}), PyTorch's {@code (output, h_n)}.
 *
 * <pre>{@code
 * RecurrentOutput r = gru.forward(x, null);
 * Tensor last = r.hN().select(0, -1);       // the top layer's final state
 * }</pre>
 */
public record RecurrentOutput(Tensor output, Tensor hN) {
}
