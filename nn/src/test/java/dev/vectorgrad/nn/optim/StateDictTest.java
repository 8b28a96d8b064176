package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Optimizer and scheduler state dicts: their keys, a state loaded into fresh objects continuing exactly as
 * the original would have, and every way a state can fail to fit (leaving the target untouched).
 */
class StateDictTest {

    private static final double[] C = {1, 3};

    /** Two groups: one parameter of two elements, one of one element. */
    static List<Tensor> params() {
        return List.of(Tensor.of(new double[] {1, -2}, 2).requiresGrad(true),
                Tensor.of(new double[] {0.5}, 1).requiresGrad(true));
    }

    static List<ParamGroup> groups(List<Tensor> p) {
        return List.of(new ParamGroup(List.of(p.get(0)), Map.of()), new ParamGroup(List.of(p.get(1)), Map.of("lr", 0.05)));
    }

    static void step(List<Tensor> p, Optimizer opt) {
        opt.zeroGrad();
        p.get(0).mul(p.get(0)).mul(Tensor.of(C, 2)).sum().add(p.get(1).mul(p.get(1)).sum()).backward();
        opt.step();
    }

    static final List<Function<List<ParamGroup>, Optimizer>> OPTIMIZERS = List.of(
            g -> new SGD(g, Map.of("lr", 0.1, "momentum", 0.9, "nesterov", 1.0)),
            g -> new Adam(g, Map.of("lr", 0.1, "amsgrad", 1.0)),
            g -> new AdamW(g, Map.of("lr", 0.1)),
            g -> new RMSprop(g, Map.of("momentum", 0.5, "centered", 1.0)),
            g -> new Adagrad(g, Map.of("lrDecay", 0.1, "initialAccumulatorValue", 0.2)));

    @Test
    void aLoadedOptimizerContinuesExactly() {
        for (Function<List<ParamGroup>, Optimizer> make : OPTIMIZERS) {
            List<Tensor> a = params(), b = params();
            Optimizer original = make.apply(groups(a));
            for (int i = 0; i < 3; i++) {
                step(a, original);
            }
            b.get(0).value().copyFrom(a.get(0).value());
            b.get(1).value().copyFrom(a.get(1).value());
            Optimizer resumed = make.apply(groups(b));
            resumed.loadStateDict(original.stateDict());
            for (int i = 0; i < 3; i++) {
                step(a, original);
                step(b, resumed);
            }
            String what = original.getClass().getSimpleName();
            for (int k = 0; k < 2; k++) {
                assertArrayEquals(a.get(k).value().toDoubleArray(), b.get(k).value().toDoubleArray(), 0, what);
            }
            assertEquals(6, resumed.stepCount(), what);
        }
    }

    @Test
    void keysFollowPyTorchsLayout() {
        List<Tensor> p = params();
        Adam adam = new Adam(groups(p), Map.of("amsgrad", 1.0));
        step(p, adam);
        StateDict s = adam.stateDict();
        assertEquals(Set.of("state.0.expAvg", "state.0.expAvgSq", "state.0.maxExpAvgSq", "state.1.expAvg",
                "state.1.expAvgSq", "state.1.maxExpAvgSq"), s.tensors().keySet());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("type", "Adam");
        expected.put("stepCount", "1");
        expected.put("state.0.step", "1");
        expected.put("state.1.step", "1");
        for (int g = 0; g < 2; g++) {
            String prefix = "paramGroups." + g + ".";
            expected.put(prefix + "params", Integer.toString(g));
            expected.put(prefix + "amsgrad", "1.0");
            expected.put(prefix + "beta1", "0.9");
            expected.put(prefix + "beta2", "0.999");
            expected.put(prefix + "eps", "1.0E-8");
            expected.put(prefix + "lr", g == 0 ? "0.001" : "0.05");
            expected.put(prefix + "maximize", "0.0");
            expected.put(prefix + "weightDecay", "0.0");
        }
        assertEquals(expected, s.metadata());
    }

    @Test
    void schedulerStateAndTheRatesResumeExactly() {
        List<BiFunction<Optimizer, Integer, LRScheduler>> schedulers = List.of(
                (o, n) -> new StepLR(o, 3, 0.5), (o, n) -> new MultiStepLR(o, new int[] {2, 5}, 0.3),
                (o, n) -> new ExponentialLR(o, 0.9), (o, n) -> new CosineAnnealingLR(o, 4, 0.001),
                (o, n) -> new LinearLR(o, 0.1, 1, 5), (o, n) -> new LinearWarmup(o, 8), (o, n) -> new OneCycleLR(o, 0.5, n),
                (o, n) -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.5, 1, 0, ReduceLROnPlateau.ThresholdMode.ABS,
                        1, 0, 0));
        double[] metrics = SchedulerTest.PLATEAU_METRICS;
        for (BiFunction<Optimizer, Integer, LRScheduler> make : schedulers) {
            List<Tensor> a = params(), b = params();
            Optimizer oa = OPTIMIZERS.get(0).apply(groups(a)), ob = OPTIMIZERS.get(0).apply(groups(b));
            LRScheduler sa = make.apply(oa, 12);
            for (int i = 0; i < 5; i++) {
                sa.step(metrics[i]);
            }
            LRScheduler sb = make.apply(ob, 12);
            ob.loadStateDict(oa.stateDict());
            sb.loadStateDict(sa.stateDict());
            assertEquals(sa.lastLr(), sb.lastLr());
            for (int i = 5; i < 11; i++) {
                sa.step(metrics[i]);
                sb.step(metrics[i]);
                assertEquals(sa.lastLr(), sb.lastLr(), sa.getClass().getSimpleName() + " step " + i);
                assertEquals(oa.paramGroups().get(0).options(), ob.paramGroups().get(0).options());
            }
            assertEquals(sa.stateDict(), sb.stateDict());
        }
    }

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    /** {@code state} with {@code key} set to {@code value} (removed when null). */
    private static StateDict with(StateDict state, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(state.metadata());
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return new StateDict(state.tensors(), m);
    }

    @Test
    void optimizerStatesThatDoNotFit() {
        List<Tensor> p = params();
        Adam adam = new Adam(groups(p), Map.of());
        step(p, adam);
        StateDict good = adam.stateDict();
        List<Tensor> q = params();
        Adam target = new Adam(groups(q), Map.of());
        StateDict before = target.stateDict();
        Map<String, NDArray> wrongShape = new LinkedHashMap<>(good.tensors());
        wrongShape.put("state.1.expAvg", NDArray.zeros(DType.FLOAT64, 2));
        wrongShape.put("state.1.momentumBuffer", NDArray.zeros(DType.FLOAT64, 1));
        wrongShape.put("state.7.expAvg", NDArray.zeros(DType.FLOAT64, 1));
        String fit = "loadStateDict: the state does not fit Adam: ";
        assertAll(
                rejects(fit + "saved by AdamW", () -> target.loadStateDict(with(good, "type", "AdamW"))),
                rejects(fit + "param group 1 has 2 parameters, the optimizer's has 1",
                        () -> target.loadStateDict(with(good, "paramGroups.1.params", "1,2"))),
                rejects(fit + "missing param group 1; unexpected paramGroups.2.params", () -> target.loadStateDict(
                        with(with(good, "paramGroups.1.params", null), "paramGroups.2.params", "1"))),
                rejects(fit + "param group 0 misses option beta2", () -> target.loadStateDict(with(good, "paramGroups.0.beta2", null))),
                rejects(fit + "paramGroups.0.lr is 'fast', not a number", () -> target.loadStateDict(with(good, "paramGroups.0.lr", "fast"))),
                rejects(fit + "stepCount is '-1', not a count", () -> target.loadStateDict(with(good, "stepCount", "-1"))),
                rejects(fit + "state.1.expAvg has shape [2] but the parameter has [1]; unexpected state.1.momentumBuffer (Adam"
                        + " keeps [expAvg, expAvgSq, maxExpAvgSq]); unexpected state.7.expAvg",
                        () -> target.loadStateDict(new StateDict(wrongShape, good.metadata()))),
                rejects(fit + "state.0.expAvg without a state.0.step; state.0.expAvgSq without a state.0.step",
                        () -> target.loadStateDict(with(good, "state.0.step", null))));
        assertEquals(before, target.stateDict(), "untouched after every failure");
        target.checkStateDict(good);
        assertEquals(before, target.stateDict(), "checkStateDict changes nothing");
        target.loadStateDict(good);
        assertEquals(good.metadata(), target.stateDict().metadata());
    }

    @Test
    void schedulerStatesThatDoNotFit() {
        StepLR step = new StepLR(OPTIMIZERS.get(0).apply(groups(params())), 3);
        StateDict good = step.stateDict();
        String fit = "loadStateDict: the state does not fit StepLR: ";
        assertAll(
                rejects(fit + "saved by ExponentialLR", () -> step.loadStateDict(with(good, "type", "ExponentialLR"))),
                rejects(fit + "missing baseLrs.1", () -> step.loadStateDict(with(good, "baseLrs.1", null))),
                rejects(fit + "lastEpoch is 'x', not a number; unexpected best",
                        () -> step.loadStateDict(with(with(good, "lastEpoch", "x"), "best", "1.0"))),
                rejects(fit + "lastEpoch is 2.5, not a whole number", () -> step.loadStateDict(with(good, "lastEpoch", "2.5"))),
                rejects(fit + "unexpected arrays [w]", () -> step.loadStateDict(
                        new StateDict(Map.of("w", NDArray.zeros(1)), good.metadata()))));
        assertEquals(good, step.stateDict());
    }
}
