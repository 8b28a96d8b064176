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

/**
 * RNN, LSTM and GRU against a plain-loop reference of PyTorch's documented cell formulas, against figures
 * PyTorch computed for fixed weights, and through GradCheck with respect to weights, inputs and states.
 */
class RecurrentTest {

    private final Generator g = new Generator(11);

    /** A recurrent layer and the name of its cell in {@link #step}. */
    record Case(String cell, RNNBase module) {
    }

    private List<Case> cases(int in, int hidden, int layers, boolean batchFirst) {
        return List.of(new Case("tanh", new RNN(in, hidden, layers, "tanh", true, batchFirst, g)),
                new Case("relu", new RNN(in, hidden, layers, "relu", false, batchFirst, g)),
                new Case("lstm", new LSTM(in, hidden, layers, true, batchFirst, g)),
                new Case("gru", new GRU(in, hidden, layers, true, batchFirst, g)));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** {@code w v + b} for a row-major {@code w [rows, v.length]}; b may be null. */
    private static double[] affine(double[] w, double[] b, double[] v, int rows) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = b == null ? 0 : b[r];
            for (int c = 0; c < v.length; c++) {
                out[r] += w[r * v.length + c] * v[c];
            }
        }
        return out;
    }

    /** One step of one sample, PyTorch's formulas: the new {h, c}. */
    private static double[][] step(String cell, double[] x, double[] h, double[] c, double[][] p) {
        int hidden = h.length, gates = p[0].length / (hidden * x.length);
        double[] gx = affine(p[0], p[2], x, gates * hidden), gh = affine(p[1], p[3], h, gates * hidden);
        double[] h2 = new double[hidden], c2 = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            switch (cell) {
                case "tanh" -> h2[j] = Math.tanh(gx[j] + gh[j]);
                case "relu" -> h2[j] = Math.max(0, gx[j] + gh[j]);
                case "lstm" -> {
                    double i = sigmoid(gx[j] + gh[j]), f = sigmoid(gx[hidden + j] + gh[hidden + j]);
                    double gg = Math.tanh(gx[2 * hidden + j] + gh[2 * hidden + j]), o = sigmoid(gx[3 * hidden + j] + gh[3 * hidden + j]);
                    c2[j] = f * c[j] + i * gg;
                    h2[j] = o * Math.tanh(c2[j]);
                }
                default -> {
                    double r = sigmoid(gx[j] + gh[j]), z = sigmoid(gx[hidden + j] + gh[hidden + j]);
                    double n = Math.tanh(gx[2 * hidden + j] + r * gh[2 * hidden + j]);
                    h2[j] = (1 - z) * n + z * h[j];
                }
            }
        }
        return new double[][] {h2, c2};
    }

    /**
     * The reference run: {@code x [length][batch][input]} and states {@code [layers][batch][hidden]} (changed
     * in place into the final states); returns the top layer's outputs {@code [length][batch][hidden]}.
     */
    private static double[][][] reference(String cell, RNNBase m, int layers, double[][][] x, double[][][] h, double[][][] c) {
        for (int l = 0; l < layers; l++) {
            double[][] p = new double[4][];
            String[] names = {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"};
            for (int k = 0; k < 4; k++) {
                Tensor t = m.namedParameters().get(names[k] + l);
                p[k] = t == null ? null : t.value().toDoubleArray();
            }
            double[][][] out = new double[x.length][x[0].length][];
            for (int t = 0; t < x.length; t++) {
                for (int b = 0; b < x[0].length; b++) {
                    double[][] hc = step(cell, x[t][b], h[l][b], c[l][b], p);
                    h[l][b] = hc[0];
                    c[l][b] = hc[1];
                    out[t][b] = hc[0];
                }
            }
            x = out;
        }
        return x;
    }

    private static double[][][] nested(NDArray a) {
        int d0 = a.size(0), d1 = a.size(1), d2 = a.size(2);
        double[] flat = a.contiguous().toDoubleArray();
        double[][][] out = new double[d0][d1][d2];
        for (int i = 0; i < flat.length; i++) {
            out[i / (d1 * d2)][i / d2 % d1][i % d2] = flat[i];
        }
        return out;
    }

    private static double[] flat(double[][][] a) {
        return java.util.Arrays.stream(a).flatMap(java.util.Arrays::stream).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static Tensor[] run(Case c, Tensor x, Tensor h0, Tensor c0) {
        return switch (c.module()) {
            case LSTM lstm -> {
                LSTMOutput r = lstm.forward(x, h0, c0);
                yield new Tensor[] {r.output(), r.hN(), r.cN()};
            }
            case GRU gru -> {
                RecurrentOutput r = gru.forward(x, h0);
                yield new Tensor[] {r.output(), r.hN()};
            }
            case RNN rnn -> {
                RecurrentOutput r = rnn.forward(x, h0);
                yield new Tensor[] {r.output(), r.hN()};
            }
            default -> throw new IllegalStateException();
        };
    }

    @Test
    void stackedLayersFollowTheCellFormulasInEitherLayout() {
        int length = 4, batch = 3, in = 3, hidden = 5, layers = 2;
        for (boolean batchFirst : new boolean[] {false, true}) {
            for (Case c : cases(in, hidden, layers, batchFirst)) {
                c.module().to(DType.FLOAT64);
                Tensor x = Tensor.randn(g, DType.FLOAT64, length, batch, in);
                Tensor h0 = Tensor.randn(g, DType.FLOAT64, layers, batch, hidden).mul(0.5);
                Tensor c0 = Tensor.randn(g, DType.FLOAT64, layers, batch, hidden).mul(0.5);
                double[][][] h = nested(h0.value()), cs = nested(c0.value());
                double[] expected = flat(reference(c.cell(), c.module(), layers, nested(x.value()), h, cs));
                Tensor[] got = run(c, batchFirst ? x.transpose(0, 1) : x, h0, c0);
                Tensor output = batchFirst ? got[0].transpose(0, 1) : got[0];
                String what = c.module() + " batchFirst=" + batchFirst;
                assertArrayEquals(expected, output.contiguous().value().toDoubleArray(), 1e-12, what);
                assertArrayEquals(flat(h), got[1].value().toDoubleArray(), 1e-12, what);
                if (got.length == 3) {
                    assertArrayEquals(flat(cs), got[2].value().toDoubleArray(), 1e-12, what);
                }
            }
        }
    }

    /** Parameter number p, element k: {@code 0.3 sin(1.7 k + p)}; input element k: {@code cos(0.9 k)}. */
    private static void fillAsInThePyTorchRun(Module m) {
        List<Tensor> params = m.parameters();
        for (int p = 0; p < params.size(); p++) {
            double[] v = new double[params.get(p).numel()];
            for (int k = 0; k < v.length; k++) {
                v[k] = 0.3 * Math.sin(1.7 * k + p);
            }
            params.get(p).value().copyFrom(NDArray.of(v, params.get(p).shape()));
        }
    }

    /**
     * Figures from PyTorch 1.13 in float64 for {@code nn.LSTM(2, 2, num_layers=2)} (and GRU, and RNN with
     * relu), every parameter p filled as {@link #fillAsInThePyTorchRun}, on x[k] = cos(0.9 k) of shape
     * [3, 2, 2]: {@code o, h = m(x)}, printed flattened. This pins the gate order and GRU's n formula.
     */
    @Test
    void matchesPyTorchForFixedWeights() {
        double[] x = new double[12];
        for (int k = 0; k < 12; k++) {
            x[k] = Math.cos(0.9 * k);
        }
        Tensor input = Tensor.of(x, 3, 2, 2);
        LSTM lstm = new LSTM(2, 2, 2, true, false, g);
        GRU gru = new GRU(2, 2, 2, true, false, g);
        RNN rnn = new RNN(2, 2, 2, "relu", true, false, g);
        for (Module m : new Module[] {lstm, gru, rnn}) {
            m.to(DType.FLOAT64);
            fillAsInThePyTorchRun(m);
        }
        LSTMOutput l = lstm.forward(input, null, null);
        assertArrayEquals(new double[] {0.056948721768, 0.107041295748, 0.067919173049, 0.093794609778, 0.094745385596, 0.130395986790,
                0.090787329717, 0.134989302751, 0.105077303335, 0.145887681142, 0.111599718021, 0.138473329437},
                l.output().value().toDoubleArray(), 1e-11);
        assertArrayEquals(new double[] {0.076956375728, -0.219695335480, -0.017238870861, -0.212174846399, 0.105077303335,
                0.145887681142, 0.111599718021, 0.138473329437}, l.hN().value().toDoubleArray(), 1e-11);
        assertArrayEquals(new double[] {0.134157439429, -0.412558270862, -0.036473237378, -0.339222350741, 0.279759288690,
                0.336501289113, 0.293969389917, 0.321117256240}, l.cN().value().toDoubleArray(), 1e-11);
        RecurrentOutput r = gru.forward(input, null);
        assertArrayEquals(new double[] {0.073266510973, 0.233864870282, 0.119172128350, 0.192812103132, 0.151095642643, 0.284403414188,
                0.142708852002, 0.294046680633, 0.161184858779, 0.326932748943, 0.196579377925, 0.291675356132},
                r.output().value().toDoubleArray(), 1e-11);
        assertArrayEquals(new double[] {0.155300630967, -0.336213550147, -0.047218692786, -0.235094879177, 0.161184858779,
                0.326932748943, 0.196579377925, 0.291675356132}, r.hN().value().toDoubleArray(), 1e-11);
        RecurrentOutput e = rnn.forward(input, null);
        assertArrayEquals(new double[] {0.000000000000, 0.630161972155, 0.102790159360, 0.507787700591, 0.103839148618, 0.479260676893,
                0.003647183036, 0.594775478607, 0.064809562438, 0.523290332063, 0.137196488473, 0.440869700005},
                e.output().value().toDoubleArray(), 1e-11);
        assertArrayEquals(new double[] {0.338257331388, 0.000000000000, 0.208174399800, 0.000000000000, 0.064809562438,
                0.523290332063, 0.137196488473, 0.440869700005}, e.hN().value().toDoubleArray(), 1e-11);
    }

    @Test
    void gradientsReachWeightsInputsAndInitialStates() {
        for (Case c : cases(2, 2, 2, true)) {
            c.module().to(DType.FLOAT64);
            Tensor x = Tensor.randn(g, DType.FLOAT64, 2, 3, 2).requiresGrad(true);
            Tensor h0 = Tensor.randn(g, DType.FLOAT64, 2, 2, 2).requiresGrad(true);
            Tensor c0 = Tensor.randn(g, DType.FLOAT64, 2, 2, 2).requiresGrad(true);
            ModuleChecks.checkParameters(c.module(), in -> {
                Tensor[] r = run(c, in[0], in[1], in[2]);
                Tensor all = Tensor.cat(0, r[0].reshape(-1), r[1].reshape(-1));
                return r.length == 3 ? Tensor.cat(0, all, r[2].reshape(-1)) : all;
            }, x, h0, c.module() instanceof LSTM ? c0 : c0.detach());
        }
    }

    @Test
    void unbatchedInputIsABatchOfOneAndForwardIsTheOutput() {
        for (Case c : cases(3, 4, 2, false)) {
            Tensor x = Tensor.randn(g, DType.FLOAT32, 5, 3);
            Tensor h0 = Tensor.randn(g, DType.FLOAT32, 2, 4);
            Tensor[] single = run(c, x, h0, h0);
            Tensor[] batched = run(c, x.unsqueeze(1), h0.unsqueeze(1), h0.unsqueeze(1));
            assertArrayEquals(new int[] {5, 4}, single[0].shape());
            for (int k = 0; k < single.length; k++) {
                assertArrayEquals(batched[k].squeeze(1).value().toFloatArray(), single[k].value().toFloatArray(), 0);
            }
            assertArrayEquals(run(c, x, null, null)[0].value().toFloatArray(), c.module().forward(x).value().toFloatArray(), 0,
                    "forward(x) starts from zeros");
        }
    }

    @Test
    void initialisationIsUniformWithinOneOverSqrtHidden() {
        for (Case c : cases(30, 25, 1, false)) {
            double bound = 1 / Math.sqrt(25);
            NDArray abs = NDArray.cat(0, c.module().parameters().stream().map(p -> p.value().reshape(-1)).toArray(NDArray[]::new)).abs();
            assertTrue(abs.max().item() <= bound && abs.max().item() > 0.99 * bound, c.module().where());
            // |U(-b, b)| has mean b/2 and standard deviation b/sqrt(12); over 1400+ draws 5 standard errors are < 0.04 b.
            assertEquals(bound / 2, abs.mean().item(), 0.04 * bound, c.module().where());
        }
    }

    @Test
    void describesItselfAndRejectsBadInputs() {
        LSTM lstm = new LSTM(3, 4, 2, true, true, g);
        assertEquals("LSTM(3, 4, numLayers=2, batchFirst=true)", lstm.where());
        assertEquals("RNN(3, 4, nonlinearity=relu, bias=false)", new RNN(3, 4, 1, "relu", false, false, g).where());
        assertEquals("LSTM(3, 4, numLayers=2, batchFirst=true): input of shape [2, 5, 4] is neither [batch, length, 3] nor [length, 3]",
                assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(DType.FLOAT32, 2, 5, 4))).getMessage());
        assertEquals("LSTM(3, 4, numLayers=2, batchFirst=true): c0 of shape [1, 2, 4] does not match the input [2, 5, 3]: expected [2, 2, 4]",
                assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(DType.FLOAT32, 2, 5, 3), null,
                        Tensor.zeros(DType.FLOAT32, 1, 2, 4))).getMessage());
        assertEquals("Sequential[0] GRU(3, 4): h0 of shape [1, 4] does not match the input [5, 2, 3]: expected [1, 2, 4]",
                assertThrows(IllegalArgumentException.class, () -> {
                    GRU gru = new GRU(3, 4, g);
                    new Sequential(gru);
                    gru.forward(Tensor.zeros(DType.FLOAT32, 5, 2, 3), Tensor.zeros(DType.FLOAT32, 1, 4));
                }).getMessage());
        assertEquals("RNN: nonlinearity must be \"tanh\" or \"relu\", got \"sigmoid\"",
                assertThrows(IllegalArgumentException.class, () -> new RNN(3, 4, 1, "sigmoid", true, false, g)).getMessage());
        assertEquals("GRU: inputSize, hiddenSize and numLayers must be positive, got 3, 4, 0",
                assertThrows(IllegalArgumentException.class, () -> new GRU(3, 4, 0, true, false, g)).getMessage());
    }
}
