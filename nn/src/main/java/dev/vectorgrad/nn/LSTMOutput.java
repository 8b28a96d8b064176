package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;

/**
 * What {@link LSTM} returns: the last layer's hidden state at every step and each layer's final hidden
 * and cell states ({@code [numLayers, batch, hidden]}), PyTorch's {@code (output, (h_n, c_n))}.
 *
 * <pre>{@code
 * LSTMOutput r = lstm.forward(x, null, null);
 * LSTMOutput next = lstm.forward(y, r.hN(), r.cN());   // carry the state on
 * }</pre>
 */
public record LSTMOutput(Tensor output, Tensor hN, Tensor cN) {
}
