package dev.vectorgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.Parallel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitsJobTest {

    @TempDir
    Path dir;

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static Options options(String... args) {
        return Options.parse(args);
    }

    @Test
    void theDefaultRunReachesTheAdvertisedAccuracyAndSavesItsFiles() throws IOException {
        Path out = dir.resolve("run");
        double accuracy = DigitsJob.run(options("--out", out.toString()), QUIET);
        assertTrue(accuracy >= 0.96, "test accuracy " + accuracy);
        assertTrue(Files.size(out.resolve("model.safetensors")) > 64 * 128 * 4);
        byte[] png = Files.readAllBytes(out.resolve("learning-curves.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void sameSeedSameWeightsWithOneOrTwoThreads() throws IOException {
        DigitsJob.run(options("--epochs", "3", "--threads", "1", "--out", dir.resolve("a").toString()), QUIET);
        DigitsJob.run(options("--epochs", "3", "--threads", "2", "--out", dir.resolve("b").toString()), QUIET);
        DigitsJob.run(options("--epochs", "3", "--threads", "2", "--seed", "1", "--out", dir.resolve("c").toString()), QUIET);
        float[] a = DigitsJob.firstWeight(dir.resolve("a")).toFloatArray();
        assertArrayEquals(a, DigitsJob.firstWeight(dir.resolve("b")).toFloatArray());
        assertTrue(!java.util.Arrays.equals(a, DigitsJob.firstWeight(dir.resolve("c")).toFloatArray()), "another seed, other weights");
    }

    @Test
    void badInputIsOneClearLine() throws IOException {
        assertEquals("unknown option --epoch (try --help)",
                assertThrows(IllegalArgumentException.class, () -> options("--epoch", "3")).getMessage());
        assertEquals("--lr needs a number, got fast",
                assertThrows(IllegalArgumentException.class, () -> options("--lr", "fast")).getMessage());
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "0,".repeat(64) + "12\n");
        IOException e = assertThrows(IOException.class, () -> DigitsJob.run(options("--data", labels.toString()), QUIET));
        assertEquals(labels + ":1: label 12 is not a class in 0..9", e.getMessage());
        Path narrow = dir.resolve("narrow.csv");
        Files.writeString(narrow, "1,2,3\n");
        assertTrue(assertThrows(IOException.class, () -> DigitsJob.run(options("--data", narrow.toString()), QUIET))
                .getMessage().endsWith("rows have 2 features; the digits model needs 64"));
    }
}
