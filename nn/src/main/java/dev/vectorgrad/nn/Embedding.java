package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * A lookup table: row {@code i} of {@code weight [numEmbeddings, embeddingDim]} for each index {@code i}
 * (whole numbers of any shape), as PyTorch's {@code nn.Embedding}. The weight is standard normal, from the
 * given generator; the row of {@code paddingIdx}, when given, starts at zero and gets no gradient.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(1000, 64, 0, new Generator(0));   // index 0 pads
 * Tensor vectors = emb.forward(tokens);                             // tokens [batch, length] -> [batch, length, 64]
 * }</pre>
 */
public final class Embedding extends Module {

    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim, Generator g) {
        this(numEmbeddings, embeddingDim, null, g);
    }

    /** {@code paddingIdx} may be null (none) or negative (counted from the end, as in PyTorch). */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator g) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got " + numEmbeddings + " x " + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: paddingIdx " + paddingIdx + " is not within [-" + numEmbeddings
                    + ", " + numEmbeddings + ")");
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : Integer.valueOf(paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx);
        NDArray weight = NDArray.randn(g, DType.FLOAT32, numEmbeddings, embeddingDim);
        if (this.paddingIdx != null) {
            weight.select(0, this.paddingIdx).fill(0);
        }
        registerParameter("weight", weight);
    }

    @Override
    public Tensor forward(Tensor indices) {
        double[] values = indices.value().toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != Math.rint(values[i]) || values[i] < 0 || values[i] >= numEmbeddings) {
                throw inputError("index " + values[i] + " at flat position " + i + " of the input of shape "
                        + Shape.format(indices.shape()) + " is not a row in [0, " + numEmbeddings + ")");
            }
        }
        Tensor flat = indices.reshape(-1);
        Tensor rows = weight().indexSelect(0, flat);
        if (paddingIdx != null) {
            Tensor pad = Tensor.of(flat.value().eq(paddingIdx).unsqueeze(1));
            rows = Tensor.where(pad, rows.detach(), rows);
        }
        int[] shape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = embeddingDim;
        return rows.reshape(shape);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    @Override
    protected String describe() {
        return "Embedding(" + numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", paddingIdx=" + paddingIdx) + ")";
    }
}
