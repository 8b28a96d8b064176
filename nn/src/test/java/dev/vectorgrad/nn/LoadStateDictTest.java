package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link Module#loadStateDict} is all or nothing: a state that fits the model in every key but its last
 * (in the state dict's order) is refused and leaves every parameter and buffer as it was, bit for bit.
 */
class LoadStateDictTest {

    private static Sequential model(Generator g) {
        Sequential m = new Sequential(new Linear(4, 8, g), new ReLU(), new BatchNorm1d(8), new Linear(8, 3, g));
        m.forward(Tensor.randn(g, DType.FLOAT32, 16, 4));
        return m;
    }

    private static Map<String, double[]> snapshot(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toDoubleArray()));
        return out;
    }

    private static void assertUnchanged(Map<String, double[]> before, Module m) {
        Map<String, double[]> after = snapshot(m);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
    }

    @Test
    void aStateFailingOnItsLastKeyLeavesEveryParameterAndBufferUnchanged() {
        Generator g = new Generator(1);
        Sequential source = model(g);
        source.parameters().forEach(p -> Init.uniform(p, -1, 1, g));
        source.forward(Tensor.randn(g, DType.FLOAT32, 16, 4));
        Map<String, NDArray> good = source.stateDict();
        List<String> keys = List.copyOf(good.keySet());
        String last = keys.getLast();
        assertEquals("3.bias", last);
        Map<String, Consumer<Map<String, NDArray>>> faults = new LinkedHashMap<>();
        faults.put("loadStateDict: the state does not fit Sequential: 3.bias has shape [4] but the model needs [3]",
                s -> s.put(last, NDArray.zeros(4)));
        faults.put("loadStateDict: the state does not fit Sequential: missing 3.bias [3]", s -> s.remove(last));
        faults.put("loadStateDict: the state does not fit Sequential: unexpected 4.weight", s -> s.put("4.weight", NDArray.zeros(3)));
        faults.forEach((message, fault) -> {
            Map<String, NDArray> state = new LinkedHashMap<>(good);
            fault.accept(state);
            Sequential target = model(new Generator(2));
            Map<String, double[]> before = snapshot(target);
            assertEquals(message, assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state, true)).getMessage());
            assertUnchanged(before, target);
        });
        Sequential target = model(new Generator(2));
        Map<String, double[]> before = snapshot(target);
        target.loadStateDict(good, true);
        Map<String, double[]> after = snapshot(target);
        keys.forEach(k -> {
            assertNotEquals(before.get(k)[0], after.get(k)[0], k + " differs between the two models");
            assertArrayEquals(good.get(k).toDoubleArray(), after.get(k), k + " loads when the whole state fits");
        });
    }
}
