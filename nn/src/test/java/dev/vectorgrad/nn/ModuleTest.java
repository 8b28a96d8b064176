package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.GradCheck;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class ModuleTest {

    private final Generator g = new Generator(0);

    private Sequential mlp() {
        return new Sequential(new Linear(4, 8, g), new ReLU(), new Dropout(0.5, g), new Linear(8, 3, g));
    }

    @Test
    void parametersHavePyTorchsDottedNamesAndShapes() {
        Sequential m = mlp();
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), List.copyOf(m.namedParameters().keySet()));
        assertArrayEquals(new int[] {8, 4}, m.namedParameters().get("0.weight").shape());
        assertEquals(4 * 8 + 8 + 8 * 3 + 3, m.parameterCount());
        assertTrue(m.toString().contains("(0): Linear(in=4, out=8)  # 40 parameters"), m.toString());
        assertTrue(m.toString().endsWith("parameters: 67"), m.toString());
    }

    @Test
    void linearIsXTimesWTransposedPlusBAndInitialisedLikePyTorch() {
        Linear fc = new Linear(100, 50, g);
        double bound = 1 / Math.sqrt(100);
        assertTrue(fc.weight().value().abs().max().item() <= bound);
        assertTrue(fc.weight().value().abs().max().item() > 0.9 * bound, "uses the whole range");
        Tensor x = Tensor.randn(g, DType.FLOAT32, 3, 100);
        NDArray expected = x.value().matmul(fc.weight().value().transpose(0, 1)).add(fc.bias().value());
        assertTrue(fc.forward(x).value().allClose(expected, 1e-6, 1e-6));
    }

    @Test
    void layersDifferentiateThroughTheirOps() {
        Tensor x = Tensor.randn(new Generator(2), DType.FLOAT64, 2, 3).requiresGrad(true);
        for (Module m : new Module[] {new GELU(), new SiLU(), new LeakyReLU(0.1), new Softmax(1), new LogSoftmax(1), new Tanh(), new Sigmoid(),
                new ELU(0.7)}) {
            GradCheck.check(in -> m.forward(in[0]), x);
            GradCheck.gradGradCheck(in -> m.forward(in[0]), x);
        }
    }

    /** Each activation against its formula either side of 0, and its slope at 0 as PyTorch's backward gives it. */
    @Test
    void activationsAreTheirFormulasWithPyTorchsSlopeAtZero() {
        record Case(Module m, DoubleUnaryOperator f, double slopeAtZero) {
        }
        double[] xs = {-30, -2.5, -0.1, 0, 0.1, 1.5, 30};
        for (Case c : List.of(new Case(new ReLU(), x -> Math.max(x, 0), 0),
                new Case(new LeakyReLU(), x -> x > 0 ? x : 0.01 * x, 0.01),
                new Case(new LeakyReLU(2), x -> x > 0 ? x : 2 * x, 2),
                new Case(new LeakyReLU(-0.5), x -> x > 0 ? x : -0.5 * x, -0.5),
                new Case(new SiLU(), x -> x / (1 + Math.exp(-x)), 0.5),
                new Case(new Sigmoid(), x -> 1 / (1 + Math.exp(-x)), 0.25),
                new Case(new Tanh(), Math::tanh, 1),
                new Case(new Identity(), x -> x, 1))) {
            Tensor x = Tensor.of(xs.clone(), xs.length).requiresGrad(true);
            Tensor y = c.m().forward(x);
            for (int i = 0; i < xs.length; i++) {
                double expected = c.f().applyAsDouble(xs[i]);
                assertEquals(expected, y.value().get(i), 1e-15 + 1e-14 * Math.abs(expected), c.m().describe() + " at " + xs[i]);
            }
            y.sum().backward();
            assertEquals(c.slopeAtZero(), x.grad().value().get(3), 1e-15, c.m().describe() + "'(0)");
        }
    }

    @Test
    void softmaxAndLogSoftmaxAreTheirFormulasAlongTheirAxis() {
        double[] z = {1000, 0, -3, 2, 2.5, 1};
        Tensor x = Tensor.of(z, 2, 3);
        for (int axis = 0; axis < 2; axis++) {
            int along = axis == 0 ? 2 : 3;
            double[] logP = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                int row = i / 3, col = i % 3, a = axis;
                IntUnaryOperator at = k -> a == 0 ? k * 3 + col : row * 3 + k;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int k = 0; k < along; k++) {
                    max = Math.max(max, z[at.applyAsInt(k)]);
                }
                for (int k = 0; k < along; k++) {
                    sum += Math.exp(z[at.applyAsInt(k)] - max);
                }
                logP[i] = z[i] - max - Math.log(sum);
            }
            assertArrayEquals(logP, new LogSoftmax(axis).forward(x).value().toDoubleArray(), 1e-11, "LogSoftmax(" + axis + ")");
            assertArrayEquals(Arrays.stream(logP).map(Math::exp).toArray(), new Softmax(axis).forward(x).value().toDoubleArray(), 1e-15,
                    "Softmax(" + axis + ")");
        }
    }

    @Test
    void dropoutScalesInTrainingAndIsTheIdentityInEval() {
        Dropout d = new Dropout(0.25, new Generator(1));
        Tensor ones = Tensor.ones(DType.FLOAT32, 10_000);
        NDArray y = d.forward(ones).value();
        double kept = y.gt(0).mean().item();
        assertEquals(0.75, kept, 0.02);
        assertEquals(1 / 0.75, y.max().item(), 1e-6);
        d.eval();
        assertFalse(d.isTraining());
        assertEquals(ones, d.forward(ones));
    }

    @Test
    void stateDictRoundTripsAndRefusesAnotherArchitecture() {
        Sequential a = mlp(), b = mlp();
        b.loadStateDict(a.stateDict(), true);
        assertArrayEquals(a.stateDict().get("3.weight").toFloatArray(), b.stateDict().get("3.weight").toFloatArray());
        Sequential other = new Sequential(new Linear(4, 9, g), new ReLU(), new Linear(9, 3, g));
        NDArray before = other.stateDict().get("0.weight").copy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(a.stateDict(), true));
        assertEquals("loadStateDict: the state does not fit Sequential: 0.weight has shape [8, 4] but the model needs [9, 4]; "
                + "0.bias has shape [8] but the model needs [9]; missing 2.weight [3, 9]; missing 2.bias [3]; "
                + "unexpected 3.bias; unexpected 3.weight", e.getMessage());
        assertArrayEquals(before.toFloatArray(), other.stateDict().get("0.weight").toFloatArray(), "nothing was loaded");
    }

    @Test
    void aShapeErrorNamesTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp().forward(Tensor.zeros(DType.FLOAT32, 2, 5)));
        assertEquals("Sequential[0] Linear(in=4, out=8): input of shape [2, 5] does not end in 4 features", e.getMessage());
    }

    @Test
    void zeroGradAndApplyReachEveryParameter() {
        Sequential m = mlp();
        m.forward(Tensor.ones(DType.FLOAT32, 2, 4)).sum().backward();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null));
        m.zeroGrad();
        m.apply(mod -> mod.namedParameters().values().forEach(p -> p.value().fill(0)));
        assertEquals(0, m.forward(Tensor.ones(DType.FLOAT32, 1, 4)).value().abs().sum().item());
        Map<String, Tensor> params = m.namedParameters();
        assertEquals(4, params.size());
    }

    @Test
    void eluIsItsFormulaAndPreciseNearZero() {
        double[] xs = {-30, -2, -1e-9, 0, 1e-9, 0.5, 3};
        Tensor x = Tensor.of(xs, xs.length).requiresGrad(true);
        Tensor y = new ELU(0.7).forward(x);
        y.sum().backward();
        for (int i = 0; i < xs.length; i++) {
            double expected = xs[i] > 0 ? xs[i] : 0.7 * Math.expm1(xs[i]);
            assertEquals(expected, y.value().get(i), 1e-15 + 1e-14 * Math.abs(expected), "elu(" + xs[i] + ")");
            double slope = xs[i] > 0 ? 1 : 0.7 * Math.exp(xs[i]);
            assertEquals(slope, x.grad().value().get(i), 1e-14, "elu'(" + xs[i] + "), alpha at 0 as PyTorch");
        }
    }

    @Test
    void toConvertsParametersAndBuffersAndKeepsThemTrainableLeaves() {
        Sequential m = new Sequential(new Linear(3, 4, g), new BatchNorm1d(4), new Tanh(), new Linear(4, 2, g));
        Map<String, NDArray> before = m.stateDict();
        Map<String, double[]> values = new java.util.HashMap<>();
        before.forEach((k, v) -> values.put(k, v.toDoubleArray()));
        m.to(DType.FLOAT64);
        for (Tensor p : m.parameters()) {
            assertEquals(DType.FLOAT64, p.dtype());
            assertTrue(p.isLeaf() && p.requiresGrad());
        }
        m.stateDict().forEach((k, v) -> {
            assertEquals(DType.FLOAT64, v.dtype(), k);
            assertArrayEquals(values.get(k), v.toDoubleArray(), 0, k);
        });
        ModuleChecks.checkParameters(m, in -> m.forward(in[0]), Tensor.randn(g, DType.FLOAT64, 5, 3).requiresGrad(true));
        m.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, m.stateDict().get("1.running_var").dtype());
        assertEquals(DType.FLOAT64, m.stateDict().get("1.num_batches_tracked").dtype(), "a count stays exact, as PyTorch's integer buffers");
        assertEquals(DType.FLOAT32, m.forward(Tensor.randn(g, DType.FLOAT32, 5, 3)).dtype());
    }

    @Test
    void functionalCallUsesTheGivenTensorsAndPutsTheOwnBack() {
        Linear fc = new Linear(2, 2, g);
        Tensor own = fc.weight();
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor x = Tensor.of(new float[] {1, 1}, 1, 2);
        NDArray expected = x.value().matmul(w.value().transpose(0, 1)).add(fc.bias().value());
        assertTrue(fc.functionalCall(Map.of("weight", w), x).value().allClose(expected, 0, 0));
        assertEquals(own, fc.weight());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> fc.functionalCall(Map.of("scale", w), x));
        assertEquals("functionalCall: Linear(in=2, out=2) has no parameter or buffer named scale", unknown.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> fc.functionalCall(Map.of("bias", w), x));
        assertEquals("functionalCall: bias has shape [2], not [2, 2]", shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fc.functionalCall(Map.of("weight", w), Tensor.ones(DType.FLOAT32, 1, 3)));
        assertEquals(own, fc.weight(), "put back after a failing call too");
    }

    /** A custom module with a named child, as researchers write them. */
    static final class Encoder extends Module {
        private final Sequential encoder;

        Encoder(Generator g) {
            encoder = registerModule("encoder", new Sequential(new Linear(4, 8, g), new ReLU()));
        }

        @Override
        public Tensor forward(Tensor x) {
            return encoder.forward(x);
        }
    }

    @Test
    void errorsNameTheWholePathFromTheRoot() {
        Sequential model = new Sequential(new Identity(), new Encoder(g), new Linear(8, 2, g));
        IllegalArgumentException deep = assertThrows(IllegalArgumentException.class,
                () -> model.forward(Tensor.zeros(DType.FLOAT32, 2, 5)));
        assertEquals("Sequential[1].encoder[0] Linear(in=4, out=8): input of shape [2, 5] does not end in 4 features", deep.getMessage());
        Linear alone = new Linear(4, 8, g);
        IllegalArgumentException root = assertThrows(IllegalArgumentException.class, () -> alone.forward(Tensor.zeros(DType.FLOAT32, 5)));
        assertEquals("Linear(in=4, out=8): input of shape [5] does not end in 4 features", root.getMessage());
        IllegalArgumentException engine = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(new Linear(4, 3, g), new Softmax(2)).forward(Tensor.zeros(DType.FLOAT32, 2, 4)));
        assertTrue(engine.getMessage().startsWith("Sequential[1] Softmax(dim=2): "), engine.getMessage());
        assertTrue(engine.getCause() != null && !(engine.getCause() instanceof ModuleInputException), "keeps the op's own error");
    }

    @Test
    void moduleListHoldsModulesUnderNumberedNames() {
        ModuleList list = new ModuleList(new Linear(2, 3, g), new ReLU());
        list.add(new Linear(3, 1, g));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(list.namedParameters().keySet()));
        assertEquals(3, list.size());
        int count = 0;
        for (Module m : list) {
            assertEquals(list.get(count++), m);
        }
        assertEquals(3, count);
        Module owner = new Module() {
            private final ModuleList blocks = registerModule("blocks", list);

            @Override
            public Tensor forward(Tensor x) {
                for (Module b : blocks) {
                    x = b.forward(x);
                }
                return x;
            }
        };
        assertTrue(owner.namedParameters().containsKey("blocks.2.bias"));
        assertArrayEquals(new int[] {4, 1}, owner.forward(Tensor.ones(DType.FLOAT32, 4, 2)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> owner.forward(Tensor.ones(DType.FLOAT32, 4, 3)));
        assertEquals("Module.blocks[0] Linear(in=2, out=3): input of shape [4, 3] does not end in 2 features", e.getMessage());
        IllegalStateException noForward = assertThrows(IllegalStateException.class, () -> list.forward(Tensor.ones(DType.FLOAT32, 1)));
        assertEquals("Module.blocks ModuleList: a ModuleList has no forward; call its modules", noForward.getMessage());
    }

    @Test
    void anUnknownParameterOrBufferNameIsAProgrammingError() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x.mul(parameter("scale"));
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forward(Tensor.ones(DType.FLOAT32, 1)));
        assertEquals("Module(): no parameter named scale (it has [])", e.getMessage());
    }
}
