package dev.vectorgrad.nn.optim;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Learning-rate sequences over 30 steps against their closed forms and against the sequences PyTorch 1.13
 * gives (pinned below with the call that produced them), per group; momentum cycling; the errors.
 *
 * <p>The PyTorch sequences come from {@code o = torch.optim.SGD([p], lr=0.1, momentum=0.9)} (or
 * {@code Adam([p], lr=0.1)}), {@code s = Scheduler(o, ...)}, then the rate after construction and after
 * each of {@code o.step(); s.step()} ({@code s.step(metric)} for ReduceLROnPlateau).
 */
class SchedulerTest {

    static final double[] PLATEAU_METRICS = {1.0, 0.9, 0.95, 0.95, 0.95, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.9, 0.9,
            0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9};

    /** SGD (lr 0.1, momentum 0.9) over two groups, the second with lr 0.02. */
    static SGD sgd() {
        return new SGD(List.of(new ParamGroup(List.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)),
                        Map.of()), new ParamGroup(List.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)),
                        Map.of("lr", 0.02))), Map.of("lr", 0.1, "momentum", 0.9));
    }

    static Adam adam() {
        return new Adam(List.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)), 0.1);
    }

    /** The rate of {@code group} after construction and after each of {@code steps} steps (with the metrics when given). */
    static double[] rates(LRScheduler s, int group, int steps, double[] metrics) {
        double[] out = new double[steps + 1];
        out[0] = s.lastLr().get(group);
        for (int i = 0; i < steps; i++) {
            if (metrics == null) {
                s.step();
            } else {
                s.step(metrics[i]);
            }
            out[i + 1] = s.lastLr().get(group);
            assertEquals(out[i + 1], s.optimizer.paramGroups().get(group).get("lr"), "lastLr is the group's rate");
        }
        return out;
    }

    /** {@code base * f(epoch)} for epochs 0 to 30. */
    static double[] closedForm(double base, Function<Integer, Double> f) {
        return IntStream.rangeClosed(0, 30).mapToDouble(e -> base * f.apply(e)).toArray();
    }

    private static void assertSequence(double[] expected, double[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.abs(expected[i]), what + " at step " + i);
        }
    }

    @Test
    void stepMultiStepAndExponentialFollowTheirClosedForms() {
        for (int group = 0; group < 2; group++) {
            double base = group == 0 ? 0.1 : 0.02;
            assertSequence(closedForm(base, e -> Math.pow(0.5, e / 7)), rates(new StepLR(sgd(), 7, 0.5), group, 30, null),
                    1e-15, "StepLR");
            // Milestone 12 given twice: gamma² there, as PyTorch's Counter of milestones.
            assertSequence(closedForm(base, e -> Math.pow(0.3, (e >= 5 ? 1 : 0) + (e >= 12 ? 2 : 0) + (e >= 20 ? 1 : 0))),
                    rates(new MultiStepLR(sgd(), new int[] {20, 5, 12, 12}, 0.3), group, 30, null), 1e-15, "MultiStepLR");
            assertSequence(closedForm(base, e -> Math.pow(0.9, e)), rates(new ExponentialLR(sgd(), 0.9), group, 30, null),
                    1e-14, "ExponentialLR");
            assertSequence(closedForm(1, e -> 0.001 + (base - 0.001) * (1 + Math.cos(Math.PI * e / 10)) / 2),
                    rates(new CosineAnnealingLR(sgd(), 10, 0.001), group, 30, null), 1e-12, "CosineAnnealingLR");
            assertSequence(closedForm(base, e -> 0.25 + 0.75 * Math.min(e, 8) / 8),
                    rates(new LinearLR(sgd(), 0.25, 1, 8), group, 30, null), 1e-15, "LinearLR");
        }
    }

    @Test
    void cosineAndLinearMatchPyTorch() {
        // CosineAnnealingLR(o, T_max=10, eta_min=0.001): its recursive form, rising again after T_max.
        double[] cosine = {0.1, 0.09757729755661011, 0.0905463412215599, 0.07959536998847742, 0.0657963412215599, 0.0505,
                0.03520365877844011, 0.02140463001152259, 0.010453658778440109, 0.0034227024433899004, 0.001,
                0.0034227024433899004, 0.01045365877844014, 0.02140463001152267, 0.035203658778440255, 0.05050000000000022,
                0.06579634122156018, 0.07959536998847777, 0.09054634122156031, 0.09757729755661054, 0.10000000000000045,
                0.09757729755661054, 0.09054634122156033, 0.07959536998847778, 0.0657963412215602, 0.050500000000000225,
                0.03520365877844027, 0.021404630011522683, 0.010453658778440154, 0.003422702443389916, 0.001};
        assertSequence(cosine, rates(new CosineAnnealingLR(sgd(), 10, 0.001), 0, 30, null), 1e-14, "CosineAnnealingLR");
        // LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=8)
        double[] linear = {0.025, 0.034375, 0.043750000000000004, 0.053125, 0.0625, 0.071875, 0.08124999999999999,
                0.090625, 0.09999999999999999, 0.09999999999999999};
        assertArrayEquals(linear, rates(new LinearLR(sgd(), 0.25, 1, 8), 0, 9, null), 0, "LinearLR");
    }

    @Test
    void linearWarmupIsLinearLRRisingToTheWholeRate() {
        for (int group = 0; group < 2; group++) {
            double base = group == 0 ? 0.1 : 0.02;
            // Four steps of warm-up without a start factor: base/5, 2 base/5, ..., base from step 4 on.
            assertSequence(closedForm(base, e -> Math.min(e + 1, 5) / 5.0), rates(new LinearWarmup(sgd(), 4), group, 30, null),
                    1e-15, "LinearWarmup(4)");
            assertSequence(closedForm(base, e -> 0.1 + 0.9 * Math.min(e, 6) / 6), rates(new LinearWarmup(sgd(), 0.1, 6), group, 30, null),
                    1e-15, "LinearWarmup(0.1, 6)");
            assertArrayEquals(rates(new LinearLR(sgd(), 0.1, 1, 6), group, 30, null), rates(new LinearWarmup(sgd(), 0.1, 6), group, 30, null),
                    0, "the same rates as LinearLR, bit for bit");
        }
        assertEquals("LinearWarmup", new LinearWarmup(sgd(), 3).stateDict().metadata().get("type"));
    }

    @Test
    void oneCycleMatchesPyTorchAndCyclesMomentum() {
        // OneCycleLR(o, max_lr=0.5, total_steps=30) on SGD: cosine, momentum from 0.95 to 0.85 and back.
        double[] lr = {0.020000000000000018, 0.03826891219729123, 0.09029437251522865, 0.16815597623237843, 0.26,
                0.3518440237676215, 0.42970562748477137, 0.4817310878027088, 0.5, 0.49720771772545586, 0.4888932458737294,
                0.47524231600673683, 0.4565598673402244, 0.4332632349055847, 0.40587282697488153, 0.3750005,
                0.34133589075057447, 0.30563101096814466, 0.2686834486665125, 0.23131855133348753, 0.19437098903185537,
                0.15866610924942562, 0.12500150000000004, 0.09412917302511849, 0.0667387650944153, 0.043442132659775645,
                0.024759683993263143, 0.01110875412627059, 0.002794282274544094, 2e-06};
        double[] momentum = {0.95, 0.9461939766255643, 0.9353553390593273, 0.9191341716182544, 0.8999999999999999,
                0.8808658283817454, 0.8646446609406726, 0.8538060233744357, 0.85, 0.8505584586887436, 0.8522213597106929,
                0.854951556604879, 0.8586880612842003, 0.8633474064085087, 0.8688255099070633, 0.875, 0.8817329487816802,
                0.8888739533021842, 0.8962634953206787, 0.9037365046793212, 0.9111260466978157, 0.9182670512183198,
                0.9249999999999999, 0.9311744900929366, 0.9366525935914912, 0.9413119387157997, 0.945048443395121,
                0.947778640289307, 0.9494415413112564, 0.95};
        SGD sgd = sgd();
        OneCycleLR s = new OneCycleLR(sgd, 0.5, 30);
        assertAll(() -> assertSequence(lr, trace(s, "lr", 29), 1e-14, "lr"),
                () -> assertSequence(momentum, trace(new OneCycleLR(sgd(), 0.5, 30), "momentum", 29), 1e-14, "momentum"),
                () -> assertEquals(lr[29], sgd.paramGroups().get(1).get("lr"), 1e-20, "every group"),
                // PyTorch allows one step past the schedule (counting construction's) and refuses the next.
                () -> assertEquals("OneCycleLR: tried to step 32 times; totalSteps is 30",
                        assertThrows(IllegalStateException.class, () -> {
                            s.step();
                            s.step();
                        }).getMessage()));
        // OneCycleLR(o, max_lr=0.5, total_steps=30, anneal_strategy='linear', three_phase=True, pct_start=0.25) on Adam.
        double[] lr3 = {0.02, 0.09384615384615386, 0.1676923076923077, 0.24153846153846154, 0.31538461538461543,
                0.38923076923076927, 0.4630769230769231, 0.46307692307692305, 0.3892307692307692, 0.3153846153846154,
                0.24153846153846154, 0.1676923076923077, 0.09384615384615386, 0.020000000000000018, 0.018750125,
                0.017500250000000002, 0.016250375, 0.0150005, 0.013750624999999999, 0.01250075, 0.011250875, 0.010001,
                0.008751124999999998, 0.007501249999999999, 0.006251375, 0.005001499999999999, 0.003751624999999998,
                0.0025017500000000005, 0.0012518749999999995, 1.9999999999985307e-06};
        double[] beta1 = {0.95, 0.9346153846153846, 0.9192307692307692, 0.9038461538461539, 0.8884615384615384,
                0.8730769230769231, 0.8576923076923076, 0.8576923076923076, 0.8730769230769231, 0.8884615384615384,
                0.9038461538461539, 0.9192307692307692, 0.9346153846153846, 0.95, 0.95};
        Function<Adam, OneCycleLR> threePhase = a -> new OneCycleLR(a, 0.5, 30, 0.25, OneCycleLR.AnnealStrategy.LINEAR,
                true, 0.85, 0.95, 25, 1e4, true);
        assertSequence(lr3, trace(threePhase.apply(adam()), "lr", 29), 1e-14, "three-phase lr");
        assertSequence(beta1, trace(threePhase.apply(adam()), "beta1", 14), 1e-14, "three-phase beta1");
        Adagrad adagrad = new Adagrad(List.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)), 0.1);
        assertEquals("OneCycleLR: Adagrad has no momentum or beta1 to cycle; pass cycleMomentum = false",
                assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(adagrad, 0.5, 30)).getMessage());
        new OneCycleLR(adagrad, 0.5, 30, 0.3, OneCycleLR.AnnealStrategy.COS, false, 0.85, 0.95, 25, 1e4, false).step();
        assertEquals(lr[1], adagrad.paramGroups().get(0).get("lr"), 1e-15);
    }

    /** The option of group 0 after construction and each of {@code steps} steps. */
    private static double[] trace(OneCycleLR s, String option, int steps) {
        double[] out = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            if (i > 0) {
                s.step();
            }
            out[i] = s.optimizer.paramGroups().get(0).get(option);
        }
        return out;
    }

    @Test
    void reduceOnPlateauMatchesPyTorch() {
        // ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1, min_lr=0.01)
        double[] min = {0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125,
                0.0125, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01};
        assertArrayEquals(min, rates(new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.Mode.MIN, 0.5, 2, 1e-4,
                ReduceLROnPlateau.ThresholdMode.REL, 1, 0.01, 1e-8), 0, 30, PLATEAU_METRICS), 0);
        // ReduceLROnPlateau(o, mode='max', factor=0.5, patience=1, threshold=0.05, threshold_mode='abs')
        double[] max = {0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125, 0.00625, 0.00625, 0.003125, 0.003125,
                0.0015625, 0.0015625, 0.00078125, 0.00078125, 0.000390625, 0.000390625, 0.0001953125, 0.0001953125,
                9.765625e-05, 9.765625e-05, 4.8828125e-05, 4.8828125e-05, 2.44140625e-05, 2.44140625e-05,
                1.220703125e-05, 1.220703125e-05, 6.103515625e-06, 6.103515625e-06};
        assertArrayEquals(max, rates(new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.Mode.MAX, 0.5, 1, 0.05,
                ReduceLROnPlateau.ThresholdMode.ABS, 0, 0, 1e-8), 0, 30, PLATEAU_METRICS), 0);
        ReduceLROnPlateau s = new ReduceLROnPlateau(sgd());
        assertEquals("ReduceLROnPlateau: step needs the monitored metric; call step(metric)",
                assertThrows(IllegalStateException.class, s::step).getMessage());
    }

    /** A loop that knows only the base type drives every scheduler with step(metric). */
    @Test
    void oneLoopDrivesAnyScheduler() {
        for (Function<SGD, LRScheduler> make : List.<Function<SGD, LRScheduler>>of(o -> new StepLR(o, 2),
                o -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.5, 0, 0, ReduceLROnPlateau.ThresholdMode.ABS,
                        0, 0, 0), o -> new OneCycleLR(o, 1, 5))) {
            LRScheduler s = make.apply(sgd());
            double first = s.lastLr().get(0);
            for (int epoch = 0; epoch < 4; epoch++) {
                s.step(1.0);
            }
            assertEquals(4, s.lastEpoch());
            assertNotEquals(first, s.lastLr().get(0), s.getClass().getSimpleName() + " changed the rate");
        }
    }

    @Test
    void aSecondSchedulerStartsFromTheInitialRate() {
        SGD o = sgd();
        new LinearLR(o, 0.1, 1, 4);
        assertEquals(0.1 * 0.1, o.paramGroups().get(0).get("lr"), 1e-18);
        CosineAnnealingLR cosine = new CosineAnnealingLR(o, 10, 0);
        assertEquals(0.1, cosine.baseLr(0));
        assertEquals(0.02, cosine.baseLr(1));
    }

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void badSettings() {
        SGD o = sgd();
        assertAll(
                rejects("StepLR: stepSize must be at least 1, got 0", () -> new StepLR(o, 0)),
                rejects("CosineAnnealingLR: tMax must be at least 1, got 0", () -> new CosineAnnealingLR(o, 0, 0)),
                rejects("LinearLR: needs startFactor in (0, 1], endFactor in [0, 1] and totalIters >= 0, got 0.0, 1.0, 5",
                        () -> new LinearLR(o, 0, 1, 5)),
                rejects("LinearWarmup: needs startFactor in (0, 1] and warmupSteps >= 1, got 1.0, 0", () -> new LinearWarmup(o, 0)),
                rejects("LinearWarmup: needs startFactor in (0, 1] and warmupSteps >= 1, got 1.5, 10", () -> new LinearWarmup(o, 1.5, 10)),
                rejects("OneCycleLR: needs totalSteps >= 1, pctStart in [0, 1], maxLr >= 0 and positive divFactor and"
                        + " finalDivFactor, got totalSteps 10, pctStart 1.5, maxLr 0.1, divFactor 25.0, finalDivFactor 10000.0",
                        () -> new OneCycleLR(o, 0.1, 10, 1.5, OneCycleLR.AnnealStrategy.COS, true, 0.85, 0.95, 25, 1e4, false)),
                rejects("ReduceLROnPlateau: needs factor in [0, 1) and non-negative patience, threshold, cooldown, minLr"
                        + " and eps, got factor 1.0, patience 10, threshold 1.0E-4, cooldown 0, minLr 0.0, eps 1.0E-8",
                        () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 1, 10, 1e-4,
                                ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 1e-8)));
        assertEquals(Map.of("lr", 0.1, "momentum", 0.9), Map.of("lr", o.paramGroups().get(0).get("lr"),
                "momentum", o.paramGroups().get(0).get("momentum")), "rejected schedulers leave the optimizer alone");
        assertFalse(o.paramGroups().get(0).has("initialLr"));
    }
}
