package dev.vectorgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.nn.io.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job through its command line, as {@code ./vectorgrad} runs it: each model, predict, and bad input. */
class MainJobTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    record Run(int status, String out, String err) {
    }

    static Run run(boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                terminal);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run run(String... args) {
        return run(false, args);
    }

    /** The number printed after {@code key} on the line starting with {@code prefix}. */
    static double reported(String out, String key) {
        for (String line : out.split("\n")) {
            int at = line.indexOf(key);
            if (line.startsWith("test ") && at >= 0) {
                return Double.parseDouble(line.substring(at + key.length()).trim().split("[ %,]")[0]);
            }
        }
        throw new AssertionError("no '" + key + "' in\n" + out);
    }

    @Test
    void theDefaultRunReachesTheAdvertisedAccuracyAndSavesItsFiles() throws IOException {
        Path out = dir.resolve("run");
        Run r = run("--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(reported(r.out(), "test accuracy") >= 96, r.out());
        assertTrue(r.out().contains("\nepoch  1/40  loss "), "plain mode: one line per epoch\n" + r.out());
        assertTrue(r.out().contains("\nepoch 40/40  loss "), r.out());
        assertTrue(r.out().matches("(?s).*epoch 40/40  loss [0-9.]+  accuracy [0-9.]+  val_loss [0-9.]+  val_accuracy [0-9.]+  "
                + "[0-9,]+ samples/s  eta 0\\.0s\n.*"), r.out());
        SafeTensors.Contents saved = SafeTensors.read(out.resolve("model.safetensors"));
        assertEquals(Map.of("model", "mlp", "features", "64", "classes", "10", "scaler", "standard", "data", "digits",
                "seed", "0", "epochs", "40"), saved.metadata());
        assertEquals(java.util.Set.of("0.weight", "0.bias", "2.weight", "2.bias", "scaler.mean", "scaler.std"), saved.tensors().keySet());
        assertTrue(r.out().endsWith("saved " + out.resolve("model.safetensors") + " and " + out.resolve("learning-curves.png") + "\n"),
                "names the files it wrote\n" + r.out());
        ExamplesTest.assertPng(out.resolve("learning-curves.png"), ExamplesTest.CURVES);
    }

    @Test
    void eachModelLearnsItsDefaultData() throws IOException {
        Run logreg = run("--model", "logreg", "--out", dir.resolve("logreg").toString());
        assertTrue(reported(logreg.out(), "test accuracy") >= 93, logreg.out());
        assertTrue(reported(logreg.out(), "f1") >= 0.93, logreg.out());
        Run iris = run("--model", "softmax", "--out", dir.resolve("iris").toString());
        assertTrue(reported(iris.out(), "test accuracy") >= 90, iris.out());
        Run wine = run("--model", "softmax", "--dataset", "wine", "--out", dir.resolve("wine").toString());
        assertTrue(reported(wine.out(), "test accuracy") >= 90, wine.out());
        Run linreg = run("--model", "linreg", "--out", dir.resolve("linreg").toString());
        // Petal width from petal length: a residual standard deviation of about 0.2 cm (R^2 0.93).
        assertTrue(reported(linreg.out(), "mae") <= 0.2, linreg.out());
        ExamplesTest.assertPng(dir.resolve("linreg/fit.png"), ExamplesTest.FIT);
        Run mlpOnWine = run("--dataset", "wine", "--epochs", "20", "--scaler", "minmax", "--optimizer", "adamw", "--lr", "0.01",
                "--out", dir.resolve("mlp-wine").toString());
        assertTrue(reported(mlpOnWine.out(), "test accuracy") >= 90, mlpOnWine.out());
    }

    @Test
    void theCnnLearnsTheDigitsAndPredictRebuildsIt() throws IOException {
        Path out = dir.resolve("cnn");
        Run r = run("--model", "cnn", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(reported(r.out(), "test accuracy") >= 96, r.out());
        assertTrue(r.out().contains("\nepoch 30/30  loss "), r.out());
        assertTrue(r.out().contains("(1): Conv2d(in=1, out=16, kernel=[3, 3], stride=[1, 1], padding=[1, 1])  # 160 parameters"), r.out());
        SafeTensors.Contents saved = SafeTensors.read(out.resolve("model.safetensors"));
        assertEquals(Map.of("model", "cnn", "features", "64", "classes", "10", "scaler", "minmax", "data", "digits",
                "seed", "0", "epochs", "30"), saved.metadata());
        assertEquals(java.util.Set.of("1.weight", "1.bias", "4.weight", "4.bias", "8.weight", "8.bias", "scaler.min", "scaler.max"),
                saved.tensors().keySet());
        ExamplesTest.assertPng(out.resolve("learning-curves.png"), ExamplesTest.CURVES);
        // All 1797 digits, the training split's among them: a model rebuilt without its weights would score about 10%.
        Run p = run("predict", "--model-file", out.resolve("model.safetensors").toString(), "--model", "cnn",
                "--data", "src/main/resources/data/digits.csv.gz", "--label-column", "-1");
        assertEquals(0, p.status(), p.err());
        assertEquals(1797, p.out().lines().count());
        assertTrue(p.out().lines().allMatch(line -> line.matches("[0-9]")), p.out());
        assertTrue(p.err().matches("accuracy 0\\.9[7-9][0-9]* over 1797 rows\n"), p.err());
    }

    @Test
    void predictRebuildsTheSavedModelAndPrintsAClassPerRow() throws IOException {
        Path out = dir.resolve("iris");
        assertEquals(0, run("--model", "softmax", "--out", out.toString()).status());
        Path rows = dir.resolve("rows.csv");
        // The first setosa, versicolor and virginica of iris.csv, without their labels.
        Files.writeString(rows, "5.1,3.5,1.4,0.2\n7.0,3.2,4.7,1.4\n6.3,3.3,6.0,2.5\n");
        Run p = run("predict", "--model-file", out.resolve("model.safetensors").toString(), "--data", rows.toString());
        assertEquals(0, p.status(), p.err());
        assertEquals("0\n1\n2\n", p.out());
        Path iris = dir.resolve("iris.csv");
        Files.copy(Path.of("src/main/resources/data/iris.csv"), iris);
        Run labelled = run("predict", "--model-file", out.resolve("model.safetensors").toString(), "--data", iris.toString(),
                "--header", "--label-column", "-1");
        assertEquals(150, labelled.out().lines().count());
        assertTrue(labelled.err().matches("accuracy 0\\.9[0-9]+ over 150 rows\n"), labelled.err());

        Path linreg = dir.resolve("linreg");
        assertEquals(0, run("--model", "linreg", "--out", linreg.toString()).status());
        Path lengths = dir.resolve("lengths.csv");
        Files.writeString(lengths, "1.4\n6.0\n");
        Run widths = run("predict", "--model-file", linreg.resolve("model.safetensors").toString(), "--data", lengths.toString());
        String[] w = widths.out().split("\n");
        // iris: a 1.4 cm petal is about 0.2 cm wide, a 6.0 cm one about 2.1 cm (least squares: w = 0.416 l - 0.363)
        assertEquals(0.22, Double.parseDouble(w[0]), 0.15);
        assertEquals(2.13, Double.parseDouble(w[1]), 0.15);
    }

    @Test
    void aTerminalGetsAProgressBarPerEpoch() {
        Run r = run(true, "--model", "softmax", "--epochs", "2", "--out", dir.resolve("bar").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\repoch 1/2 100% [="), "a bar redrawn in place\n" + r.out());
        assertTrue(r.out().contains("105/105 samples"), r.out());
        assertTrue(r.out().matches("(?s).*\repoch 2/2  loss [0-9.]+  accuracy [0-9.]+  val_loss [0-9.]+  val_accuracy [0-9.]+  "
                + "[0-9,]+ samples/s  eta 0\\.0s\n.*"), "then the epoch's full line\n" + r.out());
    }

    /** Runs a command that must fail: one line on stderr, nothing like a stack trace, the given status. */
    private static String error(int status, String... args) {
        Run r = run(args);
        assertEquals(status, r.status(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), r.err());
        return r.err().strip();
    }

    @Test
    void badCommandLinesAreOneLineAndStatus2() {
        assertEquals("vectorgrad: unknown option --epoch (try --help)", error(2, "--epoch", "3"));
        assertEquals("vectorgrad: --lr needs a number, got fast", error(2, "--lr", "fast"));
        assertEquals("vectorgrad: --lr must be a positive number, got -1", error(2, "--lr", "-1"));
        assertEquals("vectorgrad: --epochs must be at least 1, got 0", error(2, "--epochs", "0"));
        assertEquals("vectorgrad: option --out needs a value", error(2, "--out"));
        assertEquals("vectorgrad: unexpected argument train (try --help)", error(2, "train"));
        assertEquals("vectorgrad: --model must be one of mlp, cnn, logreg, softmax, linreg; got rnn", error(2, "--model", "rnn"));
        assertEquals("vectorgrad: --optimizer must be one of adam, adamw, adagrad, rmsprop, sgd; got lbfgs", error(2, "--optimizer", "lbfgs"));
        assertEquals("vectorgrad: --model logreg needs a two-class data set; iris has 3 classes",
                error(2, "--model", "logreg", "--dataset", "iris"));
        assertEquals("vectorgrad: --model cnn needs square images, a square number of features of at least 16 (one a pixel); got 13"
                + " features", error(2, "--model", "cnn", "--dataset", "wine"));
        assertEquals("vectorgrad: --model linreg needs a regression data set (real-valued targets); digits has 10 classes",
                error(2, "--model", "linreg", "--dataset", "digits"));
        assertEquals("vectorgrad: --data and --dataset exclude each other (--classes N gives a file's classes)",
                error(2, "--data", "x.csv", "--dataset", "iris"));
        assertEquals("vectorgrad: --header describes a --data FILE; the bundled data sets need none", error(2, "--header"));
        assertEquals("vectorgrad: predict needs --model-file (try --help)", error(2, "predict", "--data", "x.csv"));
        assertEquals("vectorgrad: unknown option --epochs (try --help)", error(2, "predict", "--epochs", "3"));
        Run help = run("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: ./vectorgrad [--model mlp]"), help.out());
        assertTrue(help.out().contains("--optimizer     adam, adamw, adagrad, rmsprop, sgd"), help.out());
    }

    @Test
    void badDataFilesNameTheFileAndLine() throws IOException {
        Path missing = dir.resolve("missing.csv");
        assertEquals("vectorgrad: " + missing + ": no such file", error(1, "--data", missing.toString()));
        Path ragged = write("ragged.csv", "1,2,0\n3,4,1\n5,6\n");
        assertEquals("vectorgrad: " + ragged + ":3: 2 fields, expected 3", error(1, "--data", ragged.toString()));
        Path text = write("text.csv", "1,2,0\n3,four,1\n");
        assertEquals("vectorgrad: " + text + ":2: field 2 is not a number: \"four\"", error(1, "--data", text.toString()));
        Path header = write("header.csv", "a,b,label\n1,2,0\n");
        assertEquals("vectorgrad: " + header + ":1: field 1 is not a number: \"a\" (is line 1 a header? add --header)",
                error(1, "--data", header.toString()));
        Path labels = write("labels.csv", "0,".repeat(64) + "12\n");
        assertEquals("vectorgrad: " + labels + ":1: label 12 is not a class in 0..9", error(1, "--data", labels.toString()));
        assertEquals("vectorgrad: " + labels + ":1: label 12 is not a class in 0..1",
                error(1, "--model", "logreg", "--data", labels.toString()));
        Path empty = write("empty.csv", "");
        assertEquals("vectorgrad: " + empty + ": empty file", error(1, "--data", empty.toString()));
        Path few = write("few.csv", "1,2,0\n3,4,1\n5,6,0\n");
        assertEquals("vectorgrad: " + few + ": too few rows (3): the 70/15/15 split gives 2 training, 1 validation and 0 test"
                + " samples, and each needs at least one", error(1, "--data", few.toString()));
    }

    /** SGD at rate 100 on the petal regression overflows within 3 epochs; the charts leave the infinities out. */
    @Test
    void aRunThatDivergesStillSavesItsModelAndCharts() throws IOException {
        Path out = dir.resolve("diverged");
        Run r = run("--model", "linreg", "--optimizer", "sgd", "--lr", "100", "--epochs", "3", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("loss Infinity"), r.out());
        ExamplesTest.assertPng(out.resolve("learning-curves.png"), ExamplesTest.CURVES);
        ExamplesTest.assertPng(out.resolve("fit.png"), ExamplesTest.FIT);
    }

    @Test
    void anOutputFolderThatIsAFileFailsBeforeTraining() throws IOException {
        Path file = write("taken", "not a folder");
        Run r = run("--model", "softmax", "--out", file.toString());
        assertEquals(1, r.status());
        assertEquals("vectorgrad: " + file + ": exists and is not a folder (--out DIR names the folder for the run's files)\n", r.err());
        assertFalse(r.out().contains("epoch"), "no training before the error\n" + r.out());
        assertEquals("not a folder", Files.readString(file));
    }

    @Test
    void predictRefusesAModelFileMadeForAnotherArchitecture() throws IOException {
        Path out = dir.resolve("logreg");
        assertEquals(0, run("--model", "logreg", "--epochs", "1", "--out", out.toString()).status());
        Path file = out.resolve("model.safetensors");
        Path rows = write("rows.csv", "1,2,3\n");
        assertEquals("vectorgrad: " + rows + ": rows have 3 features; the logreg model in " + file + " takes 30",
                error(1, "predict", "--model-file", file.toString(), "--data", rows.toString()));
        assertEquals("vectorgrad: " + file + ": holds a logreg model, not mlp",
                error(1, "predict", "--model-file", file.toString(), "--data", rows.toString(), "--model", "mlp"));

        SafeTensors.Contents saved = SafeTensors.read(file);
        Map<String, String> claimsMlp = new java.util.LinkedHashMap<>(saved.metadata());
        claimsMlp.put("model", "mlp");
        Path renamed = dir.resolve("claims-mlp.safetensors");
        SafeTensors.write(renamed, saved.tensors(), claimsMlp);
        assertEquals("vectorgrad: " + renamed + ": its tensors do not fit the mlp model it names (30 features, 2 classes): "
                        + "loadStateDict: the state does not fit Sequential: missing 0.weight [128, 30]; missing 0.bias [128]; "
                        + "missing 2.weight [2, 128]; missing 2.bias [2]; unexpected bias; unexpected weight",
                error(1, "predict", "--model-file", renamed.toString(), "--data", rows.toString()));

        Path foreign = dir.resolve("foreign.safetensors");
        SafeTensors.write(foreign, Map.of("w", NDArray.zeros(2)), Map.of());
        assertEquals("vectorgrad: " + foreign + ": no model name in its metadata (not a file saved by ./vectorgrad)",
                error(1, "predict", "--model-file", foreign.toString(), "--data", rows.toString()));
        Path notSafetensors = write("junk.safetensors", "hello");
        assertEquals("vectorgrad: " + notSafetensors + ": 5 bytes is too short for a safetensors file",
                error(1, "predict", "--model-file", notSafetensors.toString(), "--data", rows.toString()));
        Path missing = dir.resolve("none.safetensors");
        assertEquals("vectorgrad: " + missing + ": no such file",
                error(1, "predict", "--model-file", missing.toString(), "--data", rows.toString()));
        Path withLabel = write("with-label.csv", "0,".repeat(30) + "1\n");
        assertEquals("vectorgrad: " + withLabel + ": rows have 31 features; the logreg model in " + file
                        + " takes 30 (is one column the label? add --label-column N)",
                error(1, "predict", "--model-file", file.toString(), "--data", withLabel.toString()));
        Path badLabel = write("bad-label.csv", "0,".repeat(30) + "3\n");
        assertEquals("vectorgrad: " + badLabel + ":1: label 3 is not a class in 0..1", error(1, "predict", "--model-file",
                file.toString(), "--data", badLabel.toString(), "--label-column", "-1"));
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
