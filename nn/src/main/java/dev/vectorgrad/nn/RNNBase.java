package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What RNN, LSTM and GRU share, as PyTorch's {@code RNNBase}: stacked layers with PyTorch's parameter
 * names and shapes ({@code weight_ih_l0 [gates*hidden, input]}, {@code weight_hh_l0 [gates*hidden, hidden]},
 * {@code bias_ih_l0}, {@code bias_hh_l0}, then {@code _l1} ...), all uniform in {@code ±1/sqrt(hidden)}
 * from the given generator; inputs {@code [length, batch, input]} ({@code [batch, length, input]} when
 * {@code batchFirst}) or unbatched {@code [length, input]}; states {@code [numLayers, batch, hidden]}
 * ({@code [numLayers, hidden]} unbatched), zeros when not given. Each subclass supplies one time step.
 */
public abstract class RNNBase extends Module {

    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;

    RNNBase(int gates, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, Generator g) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize, hiddenSize and numLayers must be "
                    + "positive, got " + inputSize + ", " + hiddenSize + ", " + numLayers);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        double bound = 1 / Math.sqrt(hiddenSize);
        for (int l = 0; l < numLayers; l++) {
            int in = l == 0 ? inputSize : hiddenSize;
            registerParameter("weight_ih_l" + l, NDArray.uniform(g, DType.FLOAT32, -bound, bound, gates * hiddenSize, in));
            registerParameter("weight_hh_l" + l, NDArray.uniform(g, DType.FLOAT32, -bound, bound, gates * hiddenSize, hiddenSize));
            if (bias) {
                registerParameter("bias_ih_l" + l, NDArray.uniform(g, DType.FLOAT32, -bound, bound, gates * hiddenSize));
                registerParameter("bias_hh_l" + l, NDArray.uniform(g, DType.FLOAT32, -bound, bound, gates * hiddenSize));
            }
        }
    }

    /**
     * One time step of one layer: the new states (the hidden state first) from the input's projection
     * {@code x W_ih^T + b_ih} {@code [batch, gates*hidden]}, the states {@code [batch, hidden]}, {@code W_hh}
     * and {@code b_hh} (null without bias).
     */
    abstract Tensor[] step(Tensor inputProjection, Tensor[] states, Tensor weightHh, Tensor biasHh);

    /**
     * Runs every layer over the sequence from the given initial states (each may be null) and returns the
     * output sequence followed by the final states, in the caller's layout.
     */
    final Tensor[] run(Tensor input, String[] stateNames, Tensor... initial) {
        boolean batched = input.dim() == 3;
        if ((input.dim() != 2 && input.dim() != 3) || input.size(-1) != inputSize) {
            throw inputError("input of shape " + Shape.format(input.shape()) + " is neither "
                    + (batchFirst ? "[batch, length, " : "[length, batch, ") + inputSize + "] nor [length, " + inputSize + "]");
        }
        Tensor x = !batched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;
        int length = x.size(0), batch = x.size(1);
        int[] stateShape = batched ? new int[] {numLayers, batch, hiddenSize} : new int[] {numLayers, hiddenSize};
        Tensor[] states = new Tensor[initial.length];
        for (int k = 0; k < initial.length; k++) {
            if (initial[k] != null && !Arrays.equals(initial[k].shape(), stateShape)) {
                throw inputError(stateNames[k] + " of shape " + Shape.format(initial[k].shape()) + " does not match the input "
                        + Shape.format(input.shape()) + ": expected " + Shape.format(stateShape));
            }
            states[k] = initial[k] == null ? Tensor.zeros(input.dtype(), numLayers, batch, hiddenSize)
                    : batched ? initial[k] : initial[k].unsqueeze(1);
        }
        List<List<Tensor>> finals = new ArrayList<>();
        for (int k = 0; k < states.length; k++) {
            finals.add(new ArrayList<>());
        }
        for (int l = 0; l < numLayers; l++) {
            Tensor projected = Linear.linear(x, parameter("weight_ih_l" + l), bias ? parameter("bias_ih_l" + l) : null);
            Tensor weightHh = parameter("weight_hh_l" + l);
            Tensor biasHh = bias ? parameter("bias_hh_l" + l) : null;
            Tensor[] s = new Tensor[states.length];
            for (int k = 0; k < states.length; k++) {
                s[k] = states[k].select(0, l);
            }
            Tensor[] outputs = new Tensor[length];
            for (int t = 0; t < length; t++) {
                s = step(projected.select(0, t), s, weightHh, biasHh);
                outputs[t] = s[0];
            }
            for (int k = 0; k < s.length; k++) {
                finals.get(k).add(s[k]);
            }
            x = Tensor.stack(0, outputs);
        }
        Tensor[] result = new Tensor[1 + states.length];
        result[0] = !batched ? x.squeeze(1) : batchFirst ? x.transpose(0, 1) : x;
        for (int k = 0; k < states.length; k++) {
            Tensor f = Tensor.stack(0, finals.get(k).toArray(Tensor[]::new));
            result[1 + k] = batched ? f : f.squeeze(1);
        }
        return result;
    }

    public final int hiddenSize() {
        return hiddenSize;
    }

    @Override
    protected String describe() {
        return getClass().getSimpleName() + "(" + inputSize + ", " + hiddenSize + (numLayers == 1 ? "" : ", numLayers=" + numLayers)
                + settings() + (bias ? "" : ", bias=false") + (batchFirst ? ", batchFirst=true" : "") + ")";
    }

    /** Settings of the subclass for {@link #describe()}, each starting with ", ". */
    String settings() {
        return "";
    }
}
