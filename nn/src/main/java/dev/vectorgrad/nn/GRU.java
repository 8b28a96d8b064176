package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.Generator;

/**
 * A gated recurrent unit network, as PyTorch's {@code nn.GRU}, gates in PyTorch's order r, z, n:
 * {@code r = σ(x W_ir^T + b_ir + h W_hr^T + b_hr)}, {@code z} likewise,
 * {@code n = tanh(x W_in^T + b_in + r (h W_hn^T + b_hn))} (r multiplies the recurrent term with its bias),
 * {@code h_t = (1 - z) n + z h_{t-1}}. Layout, names and initialisation: {@link RNNBase}.
 *
 * <pre>{@code
 * GRU gru = new GRU(10, 20, new Generator(0));
 * RecurrentOutput r = gru.forward(x, null);   // x [length, batch, 10] -> hN [1, batch, 20]
 * }</pre>
 */
public final class GRU extends RNNBase {

    public GRU(int inputSize, int hiddenSize, Generator g) {
        this(inputSize, hiddenSize, 1, true, false, g);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, Generator g) {
        super(3, inputSize, hiddenSize, numLayers, bias, batchFirst, g);
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
        Tensor h = states[0];
        Tensor[] xs = inputProjection.split(hiddenSize(), 1);
        Tensor[] hs = Linear.linear(h, weightHh, biasHh).split(hiddenSize(), 1);
        Tensor r = xs[0].add(hs[0]).sigmoid();
        Tensor z = xs[1].add(hs[1]).sigmoid();
        Tensor n = xs[2].add(r.mul(hs[2])).tanh();
        return new Tensor[] {n.sub(z.mul(n)).add(z.mul(h))};
    }
}
