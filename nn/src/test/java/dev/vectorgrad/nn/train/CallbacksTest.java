package dev.vectorgrad.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.nn.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in callbacks driven epoch by epoch with scripted logs, as fit would drive them, so that each
 * decision can be checked against Keras's rules by hand; and once through a real fit.
 */
class CallbacksTest {

    @TempDir
    Path dir;

    private static Map<String, Double> logs(Object... keyValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], ((Number) keyValues[i + 1]).doubleValue());
        }
        return m;
    }

    /**
     * Runs {@code early} over epochs whose monitored value is {@code values}, the weight set to the epoch
     * number in each, until it stops training; returns the epochs run.
     */
    private static int drive(Model model, EarlyStopping early, String key, double... values) {
        early.onTrainBegin(model, new FitParams(values.length, 1, 1, 1));
        int epoch = 0;
        while (epoch < values.length && early.stoppedEpoch() == 0) {
            epoch++;
            model.module().stateDict().get("weight").fill(epoch);
            early.onEpochEnd(model, epoch, logs(key, values[epoch - 1]));
        }
        early.onTrainEnd(model, logs(key, values[epoch - 1]));
        return epoch;
    }

    private static float weight(Model m) {
        return m.module().stateDict().get("weight").toFloatArray()[0];
    }

    @Test
    void earlyStoppingWaitsPatienceEpochsForAnImprovementBeyondMinDelta() {
        // val_loss 1.0, 0.8 (better by more than 0.02), 0.85, 0.79 (better, but by less than 0.02): the
        // second epoch without an improvement of more than 0.02 is epoch 4, where patience 2 runs out.
        EarlyStopping early = new EarlyStopping("val_loss", 0.02, 2, MonitorMode.AUTO, false);
        Model model = ModelTest.linearModel(0.1);
        assertEquals(4, drive(model, early, "val_loss", 1.0, 0.8, 0.85, 0.79, 0.5, 0.4));
        assertEquals(4, early.stoppedEpoch());
        assertEquals(2, early.bestEpoch());
        assertEquals(0.8, early.best());
        assertEquals(4f, weight(model), "weights left as they are");
    }

    @Test
    void earlyStoppingRestoresTheBestWeightsAndFollowsTheMode() {
        EarlyStopping early = new EarlyStopping("val_accuracy", 0, 1, MonitorMode.AUTO, true);
        Model model = ModelTest.linearModel(0.1);
        // accuracy goes up: 0.5, 0.7, 0.7 (not better: stop with patience 1); weights of epoch 2 come back
        assertEquals(3, drive(model, early, "val_accuracy", 0.5, 0.7, 0.7, 0.9));
        assertEquals(2f, weight(model));
        EarlyStopping forcedMin = new EarlyStopping("val_accuracy", 0, 0, MonitorMode.MIN, true);
        assertEquals(2, drive(model, forcedMin, "val_accuracy", 0.5, 0.7, 0.9));
        assertEquals(1f, weight(model));
        EarlyStopping never = new EarlyStopping("loss", 0, 3, MonitorMode.MIN, true);
        assertEquals(4, drive(model, never, "loss", 4, 3, 2, 1));
        assertEquals(0, never.stoppedEpoch());
        assertEquals(4f, weight(model));
    }

    @Test
    void earlyStoppingOnAMissingKeyListsTheKeysThereAre() {
        EarlyStopping early = new EarlyStopping("val_loss", 2);
        Model model = ModelTest.linearModel(0.1);
        early.onTrainBegin(model, new FitParams(1, 1, 1, 1));
        assertEquals("EarlyStopping: the logs have no 'val_loss' to monitor; they have [loss, mae] (no validation data given to fit?)",
                assertThrows(IllegalStateException.class, () -> early.onEpochEnd(model, 1, logs("loss", 1, "mae", 2))).getMessage());
        assertEquals("EarlyStopping: minDelta and patience must be >= 0, got 0.0 and -1",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("loss", -1)).getMessage());
    }

    @Test
    void earlyStoppingEndsARealFit() {
        // A learning rate of 0 never improves the loss: patience 2 stops at epoch 3.
        Model model = ModelTest.linearModel(0);
        EarlyStopping early = new EarlyStopping("loss", 2);
        History h = model.fit(ModelTest.line(8), FitOptions.defaults().epochs(20).batchSize(4).shuffle(false).callbacks(early));
        assertEquals(3, h.epochs());
        assertEquals(3, early.stoppedEpoch());
    }

    @Test
    void checkpointFilePathsFillEpochAndLogFields() {
        Map<String, Double> l = logs("loss", 0.123456, "val_loss", 2.5);
        assertEquals("ckpt/epoch07-2.500.safetensors", ModelCheckpoint.path("ckpt/epoch{epoch:02d}-{val_loss:.3f}.safetensors", 7, l));
        assertEquals("m-3-0.123456.st", ModelCheckpoint.path("m-{epoch}-{loss}.st", 3, l));
        assertEquals("plain.safetensors", ModelCheckpoint.path("plain.safetensors", 3, l));
        assertEquals("ModelCheckpoint: the file path names {acc}, which is neither epoch nor one of the logs [loss, val_loss]",
                assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.path("{acc}.st", 1, l)).getMessage());
        assertEquals("ModelCheckpoint: cannot format loss = 0.123456 with 'd' in the file path",
                assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.path("{loss:d}.st", 1, l)).getMessage());
    }

    @Test
    void checkpointSavesEveryEpochOrOnlyTheBest() throws IOException {
        Model model = ModelTest.linearModel(0.1);
        ModelCheckpoint best = new ModelCheckpoint(dir.resolve("best/e{epoch}.safetensors").toString(), "val_loss", true,
                MonitorMode.AUTO, Map.of("model", "linear"));
        best.onTrainBegin(model, new FitParams(4, 1, 1, 1));
        double[] valLoss = {3, 2, 2.5, 1};
        for (int epoch = 1; epoch <= 4; epoch++) {
            model.module().stateDict().get("weight").fill(epoch);
            best.onEpochEnd(model, epoch, logs("loss", 9, "val_loss", valLoss[epoch - 1]));
        }
        assertEquals(List.of("e1.safetensors", "e2.safetensors", "e4.safetensors"),
                Files.list(dir.resolve("best")).map(p -> p.getFileName().toString()).sorted().toList());
        assertEquals(dir.resolve("best/e4.safetensors"), best.lastSaved());
        SafeTensors.Contents saved = SafeTensors.read(dir.resolve("best/e2.safetensors"));
        assertArrayEquals(new float[] {2, 2}, saved.tensors().get("weight").toFloatArray());
        assertEquals(model.module().stateDict().keySet(), saved.tensors().keySet());
        assertEquals("linear", saved.metadata().get("model"));
        assertEquals("2", saved.metadata().get("epoch"));
        assertEquals("2.0", saved.metadata().get("val_loss"));

        ModelCheckpoint every = new ModelCheckpoint(dir.resolve("all-{epoch}.safetensors").toString());
        every.onTrainBegin(model, new FitParams(2, 1, 1, 1));
        every.onEpochEnd(model, 1, logs("loss", 1));
        every.onEpochEnd(model, 2, logs("loss", 2));
        assertTrue(Files.exists(dir.resolve("all-1.safetensors")) && Files.exists(dir.resolve("all-2.safetensors")));
    }

    @Test
    void csvLoggerWritesOneRowPerEpochUnderTheFirstEpochsKeys() throws IOException {
        Path file = dir.resolve("logs/train.csv");
        Model model = ModelTest.linearModel(0.1);
        CSVLogger logger = new CSVLogger(file, false);
        logger.onTrainBegin(model, new FitParams(2, 1, 1, 1));
        logger.onEpochEnd(model, 1, logs("loss", 0.5, "val_loss", 0.75));
        assertEquals("epoch,loss,val_loss\n1,0.5,0.75\n", Files.readString(file), "flushed after each epoch");
        logger.onEpochEnd(model, 2, logs("loss", 0.25, "extra", 1));
        logger.onTrainEnd(model, Map.of());
        assertEquals("epoch,loss,val_loss\n1,0.5,0.75\n2,0.25,NA\n", Files.readString(file));

        CSVLogger appending = new CSVLogger(file, true);
        appending.onTrainBegin(model, new FitParams(1, 1, 1, 1));
        appending.onEpochEnd(model, 1, logs("val_loss", 0.5, "loss", 0.125));
        appending.onTrainEnd(model, Map.of());
        assertEquals("epoch,loss,val_loss\n1,0.5,0.75\n2,0.25,NA\n1,0.125,0.5\n", Files.readString(file));

        CSVLogger fresh = new CSVLogger(file, false);
        fresh.onTrainBegin(model, new FitParams(1, 1, 1, 1));
        fresh.onTrainEnd(model, Map.of());
        assertFalse(Files.readString(file).contains("0.125"), "without append the file starts over");
    }

    @Test
    void csvLoggerInARealFitHasAHeaderAndARowPerEpoch() throws IOException {
        Path file = dir.resolve("fit.csv");
        ModelTest.linearModel(0.1).fit(ModelTest.line(8), FitOptions.defaults().epochs(3).batchSize(4).validationSplit(0.25)
                .callbacks(new CSVLogger(file, false)));
        List<String> lines = Files.readAllLines(file);
        assertEquals("epoch,loss,mae,val_loss,val_mae", lines.getFirst());
        assertEquals(4, lines.size());
        assertTrue(lines.get(3).startsWith("3,"));
        assertEquals(5, lines.get(3).split(",").length);
    }
}
