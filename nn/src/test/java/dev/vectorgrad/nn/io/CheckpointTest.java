package dev.vectorgrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.Dropout;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.MSELoss;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.Tanh;
import dev.vectorgrad.nn.data.Batch;
import dev.vectorgrad.nn.data.DataLoader;
import dev.vectorgrad.nn.data.TensorDataset;
import dev.vectorgrad.nn.optim.Adagrad;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.AdamW;
import dev.vectorgrad.nn.optim.CosineAnnealingLR;
import dev.vectorgrad.nn.optim.ExponentialLR;
import dev.vectorgrad.nn.optim.LRScheduler;
import dev.vectorgrad.nn.optim.OneCycleLR;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.ParamGroup;
import dev.vectorgrad.nn.optim.RMSprop;
import dev.vectorgrad.nn.optim.ReduceLROnPlateau;
import dev.vectorgrad.nn.optim.SGD;
import dev.vectorgrad.nn.optim.StateDict;
import dev.vectorgrad.nn.optim.StepLR;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming from a checkpoint written after k of n steps continues the same loss curve and ends with the
 * same parameters, bit for bit, as the run that never stopped (the explicit PyTorch loop, each optimizer
 * with a scheduler, and a run that shuffles and drops out with its generators saved); a save that fails half-way leaves the previous checkpoint; a checkpoint that does not
 * fit changes nothing.
 */
class CheckpointTest {

    @TempDir
    Path dir;

    static final int BATCHES = 4, EPOCHS = 3;

    /** One training setup: an optimizer on the model's parameters and a scheduler on the optimizer. */
    record Setup(String name, Function<List<ParamGroup>, Optimizer> optimizer,
                 BiFunction<Optimizer, Integer, LRScheduler> scheduler, boolean perBatch) {
    }

    static final List<Setup> SETUPS = List.of(
            new Setup("SGD+StepLR", g -> new SGD(g, Map.of("lr", 0.1, "momentum", 0.9, "nesterov", 1.0, "weightDecay", 1e-3)),
                    (o, n) -> new StepLR(o, 1, 0.7), false),
            new Setup("Adam+OneCycleLR", g -> new Adam(g, Map.of("amsgrad", 1.0)), (o, n) -> new OneCycleLR(o, 0.05, n), true),
            new Setup("AdamW+CosineAnnealingLR", g -> new AdamW(g, Map.of("lr", 0.02)),
                    (o, n) -> new CosineAnnealingLR(o, 2, 1e-3), false),
            new Setup("RMSprop+ReduceLROnPlateau", g -> new RMSprop(g, Map.of("momentum", 0.5, "centered", 1.0)),
                    (o, n) -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.5, 0, 0.5,
                            ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 0), false),
            new Setup("Adagrad+ExponentialLR", g -> new Adagrad(g, Map.of("lr", 0.1, "lrDecay", 0.01)),
                    (o, n) -> new ExponentialLR(o, 0.9), false));

    static Module model(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(4, 8, g), new Tanh(), new Linear(8, 2, g));
    }

    /** A fixed regression problem in {@link #BATCHES} batches of 4. */
    static final List<NDArray[]> DATA = data();

    private static List<NDArray[]> data() {
        Generator g = new Generator(99);
        List<NDArray[]> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            NDArray x = NDArray.randn(g, DType.FLOAT32, 4, 4);
            batches.add(new NDArray[] {x, x.sum(new int[] {1}, true).tanh().mul(NDArray.of(new float[] {1, -2}, 2))});
        }
        return batches;
    }

    /** Global steps {@code from} to {@code to} of the explicit loop; returns each step's loss. */
    static List<Double> train(Module model, Optimizer opt, LRScheduler scheduler, boolean perBatch, int from, int to) {
        List<Double> losses = new ArrayList<>();
        MSELoss lossFn = new MSELoss();
        for (int step = from; step < to; step++) {
            NDArray[] batch = DATA.get(step % BATCHES);
            Tensor loss = lossFn.forward(model.forward(Tensor.of(batch[0])), Tensor.of(batch[1]));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            losses.add(loss.item());
            if (perBatch || (step + 1) % BATCHES == 0) {
                scheduler.step(loss.item());
            }
        }
        return losses;
    }

    static Optimizer optimizer(Setup s, Module m) {
        return s.optimizer().apply(List.of(new ParamGroup(m.parameters(), Map.of())));
    }

    @Test
    void resumingContinuesBitForBit() throws IOException {
        int n = BATCHES * EPOCHS;
        for (Setup s : SETUPS) {
            for (int k : new int[] {BATCHES, 5}) {
                Module straight = model(1);
                Optimizer so = optimizer(s, straight);
                List<Double> expected = train(straight, so, s.scheduler().apply(so, n), s.perBatch(), 0, n);

                Module first = model(1);
                Optimizer fo = optimizer(s, first);
                LRScheduler fs = s.scheduler().apply(fo, n);
                List<Double> losses = new ArrayList<>(train(first, fo, fs, s.perBatch(), 0, k));
                Path file = dir.resolve(s.name() + k + ".safetensors");
                Checkpoint.save(file, first, fo, fs, new Checkpoint(k / BATCHES, k));

                Module resumed = model(2);
                Optimizer ro = optimizer(s, resumed);
                LRScheduler rs = s.scheduler().apply(ro, n);
                Checkpoint at = Checkpoint.load(file, resumed, ro, rs);
                assertEquals(new Checkpoint(k / BATCHES, k), at);
                losses.addAll(train(resumed, ro, rs, s.perBatch(), (int) at.step(), n));

                String what = s.name() + " resumed after " + k + " of " + n;
                assertEquals(expected, losses, what + ": the loss curve");
                straight.stateDict().forEach((name, v) -> assertArrayEquals(v.toFloatArray(),
                        resumed.stateDict().get(name).toFloatArray(), what + ": " + name));
                assertEquals(so.stateDict().metadata(), ro.stateDict().metadata(), what + ": optimizer");
            }
        }
    }

    /** A model with dropout, its generator and the data loader's, for the runs that draw random numbers. */
    record RandomRun(Module model, Optimizer opt, Generator data, Generator dropout) {
        static RandomRun of(long seed) {
            Generator dropout = new Generator(seed + 1);
            Module m = new Sequential(new Linear(4, 8, new Generator(seed)), new Tanh(), new Dropout(0.3, dropout),
                    new Linear(8, 2, new Generator(seed + 2)));
            return new RandomRun(m, new Adam(m.parameters(), 0.01), new Generator(seed + 3), dropout);
        }

        Map<String, Generator> generators() {
            return Map.of("data", data, "dropout", dropout);
        }

        /** Epochs {@code from} to {@code to} over the batches reshuffled each epoch; each step's loss. */
        List<Double> train(int from, int to) {
            NDArray x = NDArray.cat(0, DATA.stream().map(b -> b[0]).toArray(NDArray[]::new));
            NDArray y = NDArray.cat(0, DATA.stream().map(b -> b[1]).toArray(NDArray[]::new));
            DataLoader loader = new DataLoader(new TensorDataset(x, y), 3, true, false, data);
            List<Double> losses = new ArrayList<>();
            for (int epoch = from; epoch < to; epoch++) {
                for (Batch b : loader) {
                    Tensor loss = new MSELoss().forward(model.forward(Tensor.of(b.x())), Tensor.of(b.y()));
                    opt.zeroGrad();
                    loss.backward();
                    opt.step();
                    losses.add(loss.item());
                }
            }
            return losses;
        }
    }

    @Test
    void generatorsSavedWithTheCheckpointResumeShufflingAndDropoutBitForBit() throws IOException {
        RandomRun straight = RandomRun.of(1);
        List<Double> expected = straight.train(0, EPOCHS);

        RandomRun first = RandomRun.of(1);
        List<Double> losses = new ArrayList<>(first.train(0, 1));
        Path file = dir.resolve("random.safetensors");
        Checkpoint.save(file, first.model(), first.opt(), null, new Checkpoint(1, losses.size()), first.generators());

        RandomRun resumed = RandomRun.of(7);
        Checkpoint at = Checkpoint.load(file, resumed.model(), resumed.opt(), null, resumed.generators());
        losses.addAll(resumed.train((int) at.epoch(), EPOCHS));
        assertEquals(expected, losses, "the loss curve with shuffling and dropout");
        straight.model().stateDict().forEach((name, v) -> assertArrayEquals(v.toFloatArray(),
                resumed.model().stateDict().get(name).toFloatArray(), name));

        RandomRun withoutGenerators = RandomRun.of(7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, withoutGenerators.model(), withoutGenerators.opt(), null));
        assertTrue(e.getMessage().contains("the file holds the state of generator 'data', none was given to restore it; "
                + "the file holds the state of generator 'dropout', none was given to restore it"), e.getMessage());
        Map<String, Generator> more = Map.of("data", new Generator(0), "dropout", new Generator(0), "noise", new Generator(0));
        e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, withoutGenerators.model(), withoutGenerators.opt(), null, more));
        assertTrue(e.getMessage().endsWith(": no state of generator 'noise'"), e.getMessage());
        assertEquals(0, more.get("data").getState(), "a refused checkpoint changes no generator");
    }

    /** Lets {@code limit} bytes through, then fails as a full disk would. */
    static OutputStream failingAfter(OutputStream out, int limit) {
        return new FilterOutputStream(out) {
            int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > limit) {
                    throw new IOException("disk full (injected)");
                }
                super.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }
        };
    }

    @Test
    void aSaveThatFailsHalfWayLeavesThePreviousCheckpoint() throws IOException {
        Setup s = SETUPS.get(1);
        Module model = model(1);
        Optimizer opt = optimizer(s, model);
        LRScheduler scheduler = s.scheduler().apply(opt, 12);
        train(model, opt, scheduler, true, 0, 2);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, model, opt, scheduler, new Checkpoint(0, 2));
        byte[] good = Files.readAllBytes(file);
        train(model, opt, scheduler, true, 2, 5);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.save(file, model, opt, scheduler,
                new Checkpoint(1, 5), Map.of(), out -> failingAfter(out, good.length / 2)));
        assertEquals("disk full (injected)", e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(file), "the previous checkpoint, whole");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
        Module fresh = model(3);
        Optimizer freshOpt = optimizer(s, fresh);
        assertEquals(new Checkpoint(0, 2), Checkpoint.load(file, fresh, freshOpt, s.scheduler().apply(freshOpt, 12)));
    }

    @Test
    void aCheckpointThatDoesNotFitChangesNothing() throws IOException {
        Module model = model(1);
        Optimizer adam = optimizer(SETUPS.get(1), model);
        LRScheduler oneCycle = SETUPS.get(1).scheduler().apply(adam, 12);
        train(model, adam, oneCycle, true, 0, 3);
        Path file = dir.resolve("adam.safetensors");
        Checkpoint.save(file, model, adam, oneCycle, new Checkpoint(0, 3));

        Module target = model(7);
        Map<String, float[]> weights = new java.util.TreeMap<>();
        target.stateDict().forEach((k, v) -> weights.put(k, v.toFloatArray()));
        Optimizer sgd = optimizer(SETUPS.get(0), target);
        LRScheduler sgdSchedule = new StepLR(sgd, 1);
        StateDict sgdState = sgd.stateDict();
        IllegalArgumentException wrongOptimizer = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, target, sgd, null));
        assertTrue(wrongOptimizer.getMessage().startsWith("Checkpoint.load: " + file
                + ": the file holds a scheduler's state, none was given to restore it"), wrongOptimizer.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, target, sgd, sgdSchedule))
                .getMessage().startsWith("loadStateDict: the state does not fit SGD: saved by Adam;"), "Adam's state into SGD");
        Module wider = new Sequential(new Linear(4, 9, new Generator(0)), new Tanh(), new Linear(9, 2, new Generator(0)));
        Optimizer widerAdam = optimizer(SETUPS.get(1), wider);
        LRScheduler widerSchedule = SETUPS.get(1).scheduler().apply(widerAdam, 12);
        StateDict widerState = widerAdam.stateDict();
        IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, wider, widerAdam, widerSchedule));
        assertTrue(wrongShape.getMessage().startsWith("loadStateDict: the state does not fit Adam: state.0.expAvg has shape"
                + " [8, 4] but the parameter has [9, 4]"), wrongShape.getMessage());
        target.stateDict().forEach((k, v) -> assertArrayEquals(weights.get(k), v.toFloatArray(), "model untouched: " + k));
        assertEquals(sgdState, sgd.stateDict(), "optimizer untouched");
        assertEquals(widerState, widerAdam.stateDict(), "optimizer untouched");
        assertEquals(0, widerSchedule.lastEpoch(), "scheduler untouched");

        SafeTensors.write(dir.resolve("plain.safetensors"), model.stateDict(), Map.of());
        assertEquals("Checkpoint.load: " + dir.resolve("plain.safetensors") + " is not a checkpoint of version 1"
                + " (no vectorgrad-checkpoint metadata of that value)", assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(dir.resolve("plain.safetensors"), target, sgd, null)).getMessage());
        assertEquals("Checkpoint: epoch and step must be >= 0, got -1 and 0",
                assertThrows(IllegalArgumentException.class, () -> new Checkpoint(-1, 0)).getMessage());
    }
}
