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
import java.util.List;
import java.util.Map;
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
        for (Module m : new Module[] {new GELU(), new SiLU(), new LeakyReLU(0.1), new Softmax(1), new LogSoftmax(1), new Tanh(), new Sigmoid()}) {
            GradCheck.check(in -> m.forward(in[0]), x);
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
}
