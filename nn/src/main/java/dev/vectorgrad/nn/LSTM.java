package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.Generator;

/**
 * A long short-term memory network, as PyTorch's {@code nn.LSTM}, gates in PyTorch's order i, f, g, o
 * (the rows of {@code weight_ih_l0} and the others, {@code hidden} each):
 * {@code i = σ(..), f = σ(..), g = tanh(..), o = σ(..)} of {@code x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh},
 * {@code c_t = f c_{t-1} + i g}, {@code h_t = o tanh(c_t)}. Layout, names and initialisation: {@link RNNBase}.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(10, 20, 1, true, true, new Generator(0));
 * LSTMOutput r = lstm.forward(x, null, null);   // x [batch, length, 10] -> output [batch, length, 20]
 * }</pre>
 */
public final class LSTM extends RNNBase {

    public LSTM(int inputSize, int hiddenSize, Generator g) {
        this(inputSize, hiddenSize, 1, true, false, g);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, Generator g) {
        super(4, inputSize, hiddenSize, numLayers, bias, batchFirst, g);
    }

    /** The output sequence, from zero initial states. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null).output();
    }

    /** The output sequence and the final states, from {@code h0} and {@code c0} (each null for zeros). */
    public LSTMOutput forward(Tensor input, Tensor h0, Tensor c0) {
        Tensor[] r = run(input, new String[] {"h0", "c0"}, h0, c0);
        return new LSTMOutput(r[0], r[1], r[2]);
    }

    @Override
    Tensor[] step(Tensor inputProjection, Tensor[] states, Tensor weightHh, Tensor biasHh) {
        Tensor[] gates = inputProjection.add(Linear.linear(states[0], weightHh, biasHh)).split(hiddenSize(), 1);
        Tensor c = gates[1].sigmoid().mul(states[1]).add(gates[0].sigmoid().mul(gates[2].tanh()));
        Tensor h = gates[3].sigmoid().mul(c.tanh());
        return new Tensor[] {h, c};
    }
}
