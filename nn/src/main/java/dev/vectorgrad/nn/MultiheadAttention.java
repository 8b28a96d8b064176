package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * Multi-head scaled dot-product attention, as PyTorch's {@code nn.MultiheadAttention}: query, key and value
 * are projected by the rows of {@code in_proj_weight [3E, E]} (and {@code in_proj_bias [3E]}), split into
 * {@code numHeads} heads of {@code E / numHeads}, attended with {@code softmax(q k^T / sqrt(E / numHeads))},
 * joined and projected by {@code out_proj} (a Linear). Initialisation as PyTorch's: in_proj_weight Xavier
 * uniform, out_proj.weight as a Linear's, both biases zero. Sequences are {@code [length, batch, E]}
 * ({@code [batch, length, E]} when {@code batchFirst}) or unbatched {@code [length, E]}.
 *
 * <pre>{@code
 * MultiheadAttention mha = new MultiheadAttention(64, 8, true, true, new Generator(0));
 * AttentionOutput a = mha.forward(x, x, x, paddingMask, true);   // causal self-attention, padded keys ignored
 * }</pre>
 *
 * <p>A query that may attend to no key (every key masked) gets NaN, as in PyTorch.
 */
public final class MultiheadAttention extends Module {

    private final int embedDim;
    private final int numHeads;
    private final boolean bias;
    private final boolean batchFirst;
    private final Linear outProj;

    public MultiheadAttention(int embedDim, int numHeads, Generator g) {
        this(embedDim, numHeads, true, false, g);
    }

    public MultiheadAttention(int embedDim, int numHeads, boolean bias, boolean batchFirst, Generator g) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim " + embedDim + " must be a positive multiple of numHeads "
                    + numHeads);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.bias = bias;
        this.batchFirst = batchFirst;
        registerParameter("in_proj_weight", NDArray.zeros(DType.FLOAT32, 3 * embedDim, embedDim));
        Init.xavierUniform(parameter("in_proj_weight"), g);
        if (bias) {
            registerParameter("in_proj_bias", NDArray.zeros(DType.FLOAT32, 3 * embedDim));
        }
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias, g));
        if (bias) {
            Init.zeros(outProj.bias());
        }
    }

    /** Self-attention of {@code x} without masks; the output only. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, false).output();
    }

    /**
     * Attention of {@code query} {@code [L, N, E]} to {@code key} and {@code value} {@code [S, N, E]} (batch
     * first when so built; or unbatched). {@code keyPaddingMask} {@code [N, S]} ({@code [S]} unbatched), may be
     * null: a non-zero element hides that key, as PyTorch's {@code True}. {@code causal} hides from query
     * {@code i} every key {@code j > i}.
     */
    public AttentionOutput forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean causal) {
        boolean batched = query.dim() == 3;
        checkInputs(query, key, value, keyPaddingMask, batched);
        Tensor q = batchMajor(query, batched), k = batchMajor(key, batched), v = batchMajor(value, batched);
        int batch = q.size(0), targetLength = q.size(1), sourceLength = k.size(1), headDim = embedDim / numHeads;
        Tensor[] w = parameter("in_proj_weight").split(embedDim, 0);
        Tensor[] b = bias ? parameter("in_proj_bias").split(embedDim, 0) : new Tensor[3];
        Tensor qh = heads(Linear.linear(q, w[0], b[0]), headDim);
        Tensor kh = heads(Linear.linear(k, w[1], b[1]), headDim);
        Tensor vh = heads(Linear.linear(v, w[2], b[2]), headDim);
        Tensor scores = qh.matmul(kh.transpose(-1, -2)).div(Math.sqrt(headDim));
        NDArray hidden = mask(keyPaddingMask, causal, batch, targetLength, sourceLength);
        if (hidden != null) {
            scores = Tensor.where(Tensor.of(hidden), Tensor.scalar(Double.NEGATIVE_INFINITY, scores.dtype()), scores);
        }
        Tensor attention = scores.softmax(-1);
        Tensor joined = attention.matmul(vh).permute(0, 2, 1, 3).reshape(batch, targetLength, embedDim);
        Tensor out = outProj.forward(joined);
        Tensor weights = attention.mean(1);
        if (!batched) {
            return new AttentionOutput(out.squeeze(0), weights.squeeze(0));
        }
        return new AttentionOutput(batchFirst ? out : out.transpose(0, 1), weights);
    }

    private void checkInputs(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean batched) {
        int rank = batched ? 3 : 2;
        String layout = batchFirst ? "[batch, length, " + embedDim + "]" : "[length, batch, " + embedDim + "]";
        for (Tensor t : new Tensor[] {query, key, value}) {
            if (t.dim() != rank || t.size(-1) != embedDim) {
                throw inputError("query, key and value of shapes " + Shape.format(query.shape()) + ", " + Shape.format(key.shape())
                        + ", " + Shape.format(value.shape()) + " are not all " + layout + " nor all [length, " + embedDim + "]");
            }
        }
        int batchAxis = batchFirst ? 0 : 1;
        if (!Arrays.equals(key.shape(), value.shape()) || (batched && key.size(batchAxis) != query.size(batchAxis))) {
            throw inputError("key of shape " + Shape.format(key.shape()) + " and value of shape " + Shape.format(value.shape())
                    + " must be equal and share the batch of the query " + Shape.format(query.shape()));
        }
        int[] maskShape = batched ? new int[] {key.size(batchAxis), key.size(1 - batchAxis)} : new int[] {key.size(0)};
        if (keyPaddingMask != null && !Arrays.equals(keyPaddingMask.shape(), maskShape)) {
            throw inputError("keyPaddingMask of shape " + Shape.format(keyPaddingMask.shape()) + " does not fit the key "
                    + Shape.format(key.shape()) + ": expected " + Shape.format(maskShape));
        }
    }

    /** {@code [batch, length, E]}, whatever the caller's layout. */
    private Tensor batchMajor(Tensor t, boolean batched) {
        return !batched ? t.unsqueeze(0) : batchFirst ? t : t.transpose(0, 1);
    }

    /** {@code [batch, length, E] -> [batch, heads, length, headDim]}. */
    private Tensor heads(Tensor t, int headDim) {
        return t.reshape(t.size(0), t.size(1), numHeads, headDim).permute(0, 2, 1, 3);
    }

    /** 1 where a query may not see a key, {@code [batch, 1, L, S]}; null when nothing is hidden. */
    private static NDArray mask(Tensor keyPaddingMask, boolean causal, int batch, int targetLength, int sourceLength) {
        NDArray hidden = null;
        if (keyPaddingMask != null) {
            hidden = keyPaddingMask.value().ne(0).reshape(batch, 1, 1, sourceLength);
        }
        if (causal) {
            NDArray rows = NDArray.arange(DType.FLOAT64, 0, targetLength, 1).reshape(targetLength, 1);
            NDArray cols = NDArray.arange(DType.FLOAT64, 0, sourceLength, 1).reshape(1, sourceLength);
            NDArray future = cols.gt(rows);
            hidden = hidden == null ? future : hidden.maximum(future);
        }
        return hidden;
    }

    @Override
    protected String describe() {
        return "MultiheadAttention(embedDim=" + embedDim + ", numHeads=" + numHeads + (bias ? "" : ", bias=false")
                + (batchFirst ? ", batchFirst=true" : "") + ")";
    }
}
