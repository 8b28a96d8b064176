package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MultiheadAttention against a plain-loop reference, PyTorch's figures for fixed weights, and GradCheck. */
class AttentionTest {

    private final Generator g = new Generator(5);

    /**
     * The reference, batch-major: {@code q [n][l][e]}, {@code k, v [n][s][e]}, {@code hidden[n][i][j]} true
     * where query i may not see key j. Returns {output [n][l][e] flattened, head-averaged weights [n][l][s]
     * flattened}.
     */
    private static double[][] reference(MultiheadAttention m, int heads, double[][][] q, double[][][] k, double[][][] v, boolean[][][] hidden) {
        int n = q.length, l = q[0].length, s = k[0].length, e = q[0][0].length, hd = e / heads;
        double[] w = m.namedParameters().get("in_proj_weight").value().toDoubleArray();
        Tensor inBias = m.namedParameters().get("in_proj_bias");
        double[] b = inBias == null ? new double[3 * e] : inBias.value().toDoubleArray();
        double[] wo = m.namedParameters().get("out_proj.weight").value().toDoubleArray();
        Tensor outBias = m.namedParameters().get("out_proj.bias");
        double[] bo = outBias == null ? new double[e] : outBias.value().toDoubleArray();
        double[] out = new double[n * l * e], weights = new double[n * l * s];
        for (int bi = 0; bi < n; bi++) {
            double[][] qp = project(q[bi], w, b, 0), kp = project(k[bi], w, b, e), vp = project(v[bi], w, b, 2 * e);
            for (int i = 0; i < l; i++) {
                double[] joined = new double[e];
                for (int h = 0; h < heads; h++) {
                    double[] a = new double[s];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < s; j++) {
                        double dot = 0;
                        for (int d = 0; d < hd; d++) {
                            dot += qp[i][h * hd + d] * kp[j][h * hd + d];
                        }
                        a[j] = hidden[bi][i][j] ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(hd);
                        max = Math.max(max, a[j]);
                    }
                    for (int j = 0; j < s; j++) {
                        a[j] = Math.exp(a[j] - max);
                        sum += a[j];
                    }
                    for (int j = 0; j < s; j++) {
                        a[j] /= sum;
                        weights[(bi * l + i) * s + j] += a[j] / heads;
                        for (int d = 0; d < hd; d++) {
                            joined[h * hd + d] += a[j] * vp[j][h * hd + d];
                        }
                    }
                }
                for (int o = 0; o < e; o++) {
                    double y = bo[o];
                    for (int c = 0; c < e; c++) {
                        y += wo[o * e + c] * joined[c];
                    }
                    out[(bi * l + i) * e + o] = y;
                }
            }
        }
        return new double[][] {out, weights};
    }

    /** Rows {@code x W_part^T + b_part} with the part of in_proj starting at row {@code from}. */
    private static double[][] project(double[][] x, double[] w, double[] b, int from) {
        int e = x[0].length;
        double[][] out = new double[x.length][e];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < e; o++) {
                out[t][o] = b[from + o];
                for (int c = 0; c < e; c++) {
                    out[t][o] += w[(from + o) * e + c] * x[t][c];
                }
            }
        }
        return out;
    }

    private static double[][][] nested(Tensor t) {
        int d0 = t.size(0), d1 = t.size(1), d2 = t.size(2);
        double[] flat = t.value().contiguous().toDoubleArray();
        double[][][] out = new double[d0][d1][d2];
        for (int i = 0; i < flat.length; i++) {
            out[i / (d1 * d2)][i / d2 % d1][i % d2] = flat[i];
        }
        return out;
    }

    @Test
    void matchesTheReferenceWithPaddingAndCausalMasksInEitherLayout() {
        int n = 2, l = 4, s = 3, e = 6, heads = 3;
        for (boolean batchFirst : new boolean[] {false, true}) {
            for (boolean bias : new boolean[] {true, false}) {
                MultiheadAttention m = new MultiheadAttention(e, heads, bias, batchFirst, g);
                m.to(DType.FLOAT64);
                m.parameters().forEach(p -> Init.uniform(p, -0.5, 0.5, g));
                Tensor q = Tensor.randn(g, DType.FLOAT64, n, l, e), k = Tensor.randn(g, DType.FLOAT64, n, s, e);
                Tensor v = Tensor.randn(g, DType.FLOAT64, n, s, e);
                Tensor pad = Tensor.of(new double[] {0, 0, 0, 0, 1, 0}, n, s);
                for (boolean causal : new boolean[] {false, true}) {
                    boolean[][][] hidden = new boolean[n][l][s];
                    for (int b = 0; b < n; b++) {
                        for (int i = 0; i < l; i++) {
                            for (int j = 0; j < s; j++) {
                                hidden[b][i][j] = pad.value().get(b, j) != 0 || (causal && j > i);
                            }
                        }
                    }
                    double[][] expected = reference(m, heads, nested(q), nested(k), nested(v), hidden);
                    AttentionOutput got = batchFirst ? m.forward(q, k, v, pad, causal)
                            : m.forward(q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1), pad, causal);
                    Tensor out = batchFirst ? got.output() : got.output().transpose(0, 1);
                    String what = "batchFirst=" + batchFirst + " bias=" + bias + " causal=" + causal;
                    assertArrayEquals(expected[0], out.contiguous().value().toDoubleArray(), 1e-12, what);
                    assertArrayEquals(expected[1], got.weights().value().toDoubleArray(), 1e-12, what);
                }
            }
        }
    }

    /**
     * PyTorch 1.13, float64: {@code m = nn.MultiheadAttention(4, 2)}, parameter p element k set to
     * {@code 0.3 sin(1.7 k + p)}; {@code q[k] = cos(0.9 k)} of shape [3, 2, 4], {@code key[k] = sin(0.7 k)} of
     * shape [2, 2, 4], {@code value = 2 key - 0.5}; {@code m(q, key, value, key_padding_mask=[[F, F], [F, T]],
     * attn_mask=torch.triu(torch.ones(3, 2, dtype=bool), diagonal=1))}, output and weights flattened.
     */
    @Test
    void matchesPyTorchForFixedWeights() {
        MultiheadAttention m = new MultiheadAttention(4, 2, g);
        m.to(DType.FLOAT64);
        List<Tensor> params = m.parameters();
        for (int p = 0; p < params.size(); p++) {
            double[] values = new double[params.get(p).numel()];
            for (int k = 0; k < values.length; k++) {
                values[k] = 0.3 * Math.sin(1.7 * k + p);
            }
            params.get(p).value().copyFrom(NDArray.of(values, params.get(p).shape()));
        }
        double[] q = new double[24], key = new double[16];
        for (int k = 0; k < 24; k++) {
            q[k] = Math.cos(0.9 * k);
        }
        for (int k = 0; k < 16; k++) {
            key[k] = Math.sin(0.7 * k);
        }
        Tensor kt = Tensor.of(key, 2, 2, 4);
        AttentionOutput a = m.forward(Tensor.of(q, 3, 2, 4), kt, kt.mul(2).sub(0.5), Tensor.of(new double[] {0, 0, 0, 1}, 2, 2), true);
        assertArrayEquals(new double[] {0.249884768212, -0.166455414825, 0.059582618255, 0.200250786649, 0.220553185748, -0.039052682023,
                0.310441433042, 0.509040101862, 0.261324371323, -0.192292917761, 0.003216894725, 0.128079852426, 0.220553185748,
                -0.039052682023, 0.310441433042, 0.509040101862, 0.261198871399, -0.191321353348, 0.005031745973, 0.130263942255,
                0.220553185748, -0.039052682023, 0.310441433042, 0.509040101862}, a.output().value().toDoubleArray(), 1e-11);
        assertArrayEquals(new double[] {1, 0, 0.483920820504, 0.516079179496, 0.499587403662, 0.500412596338, 1, 0, 1, 0, 1, 0},
                a.weights().value().toDoubleArray(), 1e-11);
        AttentionOutput plain = m.forward(Tensor.of(q, 3, 2, 4), kt, kt.mul(2).sub(0.5), null, false);
        assertArrayEquals(new double[] {0.483441935980, 0.516558064020, 0.483920820504, 0.516079179496, 0.499587403662, 0.500412596338,
                0.482418610879, 0.517581389121, 0.490175821039, 0.509824178961, 0.504775381888, 0.495224618112},
                plain.weights().value().toDoubleArray(), 1e-11);
    }

    @Test
    void forwardOfOneTensorIsSelfAttentionAndUnbatchedIsABatchOfOne() {
        MultiheadAttention m = new MultiheadAttention(4, 2, true, true, g);
        Tensor x = Tensor.randn(g, DType.FLOAT32, 1, 3, 4);
        assertArrayEquals(m.forward(x, x, x, null, false).output().value().toFloatArray(), m.forward(x).value().toFloatArray(), 0);
        AttentionOutput single = m.forward(x.squeeze(0), x.squeeze(0), x.squeeze(0), Tensor.of(new float[] {0, 1, 0}, 3), true);
        AttentionOutput batched = m.forward(x, x, x, Tensor.of(new float[] {0, 1, 0}, 1, 3), true);
        assertArrayEquals(new int[] {3, 4}, single.output().shape());
        assertArrayEquals(new int[] {3, 3}, single.weights().shape());
        assertArrayEquals(batched.output().value().toFloatArray(), single.output().value().toFloatArray(), 0);
        assertArrayEquals(batched.weights().value().toFloatArray(), single.weights().value().toFloatArray(), 0);
    }

    @Test
    void gradientsReachEveryParameterAndInput() {
        MultiheadAttention m = new MultiheadAttention(4, 2, true, false, g);
        m.to(DType.FLOAT64);
        m.parameters().forEach(p -> Init.uniform(p, -0.5, 0.5, g));
        Tensor q = Tensor.randn(g, DType.FLOAT64, 2, 2, 4).requiresGrad(true);
        Tensor k = Tensor.randn(g, DType.FLOAT64, 3, 2, 4).requiresGrad(true);
        Tensor v = Tensor.randn(g, DType.FLOAT64, 3, 2, 4).requiresGrad(true);
        Tensor pad = Tensor.of(new double[] {0, 0, 1, 0, 0, 0}, 2, 3);
        ModuleChecks.checkParameters(m, in -> {
            AttentionOutput a = m.forward(in[0], in[1], in[2], pad, true);
            return Tensor.cat(0, a.output().reshape(-1), a.weights().reshape(-1));
        }, q, k, v);
    }

    @Test
    void initialisationIsPyTorchs() {
        MultiheadAttention m = new MultiheadAttention(16, 4, g);
        NDArray in = m.namedParameters().get("in_proj_weight").value().abs();
        double xavier = Math.sqrt(6.0 / (16 + 48));
        assertTrue(in.max().item() <= xavier && in.max().item() > 0.98 * xavier);
        assertEquals(0, m.namedParameters().get("in_proj_bias").value().abs().max().item());
        assertEquals(0, m.namedParameters().get("out_proj.bias").value().abs().max().item());
        NDArray out = m.namedParameters().get("out_proj.weight").value().abs();
        assertTrue(out.max().item() <= 0.25 && out.max().item() > 0.95 * 0.25, "a Linear's U(±1/sqrt(16))");
    }

    @Test
    void aQueryThatMaySeeNoKeyGetsNaNAsInPyTorch() {
        MultiheadAttention m = new MultiheadAttention(2, 1, g);
        Tensor x = Tensor.randn(g, DType.FLOAT32, 2, 1, 2);
        AttentionOutput a = m.forward(x, x, x, Tensor.of(new float[] {1, 1}, 1, 2), false);
        assertTrue(Double.isNaN(a.output().value().get(0, 0, 0)));
    }

    @Test
    void rejectsBadShapes() {
        MultiheadAttention m = new MultiheadAttention(4, 2, g);
        Tensor x = Tensor.zeros(DType.FLOAT32, 3, 2, 4);
        assertEquals("MultiheadAttention(embedDim=4, numHeads=2): query, key and value of shapes [3, 2, 4], [3, 2, 5], [3, 2, 4] are not "
                + "all [length, batch, 4] nor all [length, 4]", assertThrows(IllegalArgumentException.class,
                () -> m.forward(x, Tensor.zeros(DType.FLOAT32, 3, 2, 5), x, null, false)).getMessage());
        assertEquals("MultiheadAttention(embedDim=4, numHeads=2): key of shape [3, 2, 4] and value of shape [2, 2, 4] must be equal and "
                + "share the batch of the query [3, 2, 4]", assertThrows(IllegalArgumentException.class,
                () -> m.forward(x, x, Tensor.zeros(DType.FLOAT32, 2, 2, 4), null, false)).getMessage());
        assertEquals("MultiheadAttention(embedDim=4, numHeads=2): key of shape [3, 1, 4] and value of shape [3, 1, 4] must be equal and "
                + "share the batch of the query [3, 2, 4]", assertThrows(IllegalArgumentException.class,
                () -> m.forward(x, Tensor.zeros(DType.FLOAT32, 3, 1, 4), Tensor.zeros(DType.FLOAT32, 3, 1, 4), null, false)).getMessage());
        assertEquals("MultiheadAttention(embedDim=4, numHeads=2): keyPaddingMask of shape [3, 2] does not fit the key [3, 2, 4]: "
                + "expected [2, 3]", assertThrows(IllegalArgumentException.class,
                () -> m.forward(x, x, x, Tensor.zeros(DType.FLOAT32, 3, 2), false)).getMessage());
        assertEquals("MultiheadAttention: embedDim 6 must be a positive multiple of numHeads 4",
                assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(6, 4, g)).getMessage());
    }
}
