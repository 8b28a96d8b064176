package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.Generator;

/**
 * An Elman recurrent network, as PyTorch's {@code nn.RNN}:
 * {@code h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)} with {@code act} tanh or relu, for each of
 * {@code numLayers} stacked layers. Layout, names and initialisation: {@link RNNBase}.
 *
 * <pre>{@code
 * RNN rnn = new RNN(10, 20, 2, "tanh", true, true, new Generator(0));
 * RecurrentOutput r = rnn.forward(x, null);   // x [batch, length, 10] -> output [batch, length, 20], hN [2, batch, 20]
 * }</pre>
 */
public final class RNN extends RNNBase {

    private final String nonlinearity;

    public RNN(int inputSize, int hiddenSize, Generator g) {
        this(inputSize, hiddenSize, 1, "tanh", true, false, g);
    }

    /** {@code nonlinearity} is {@code "tanh"} or {@code "relu"}. */
    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst, Generator g) {
        super(1, inputSize, hiddenSize, numLayers, bias, batchFirst, g);
        if (!nonlinearity.equals("tanh") && !nonlinearity.equals("relu")) {
            throw new IllegalArgumentException("RNN: nonlinearity must be \"tanh\" or \"relu\", got \"" + nonlinearity + "\"");
        }
        this.nonlinearity = nonlinearity;
    }

    /** The output sequence, from zero initial states. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }

    /** The output sequence and the final states, from {@code h0} (null for zeros). */
    public RecurrentOutput forward(Tensor input, Tensor h0) {
        Tensor[] r = run(input, new String[] {"h0"}, h0);
        return new RecurrentOutput(r[0], r[1]);
    }

    @Override
    Tensor[] step(Tensor inputProjection, Tensor[] states, Tensor weightHh, Tensor biasHh) {
        Tensor pre = inputProjection.add(Linear.linear(states[0], weightHh, biasHh));
        return new Tensor[] {nonlinearity.equals("tanh") ? pre.tanh() : pre.relu()};
    }

    @Override
    String settings() {
        return nonlinearity.equals("tanh") ? "" : ", nonlinearity=" + nonlinearity;
    }
}
