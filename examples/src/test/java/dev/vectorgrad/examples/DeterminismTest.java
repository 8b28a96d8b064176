package dev.vectorgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.nn.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed, same weights, bit for bit: at any thread count, and from one run to the next. Runs differ in
 * when the JIT compiles each kernel, and the Vector API computes in Java code (the interpreter and C1)
 * until C2 replaces it with intrinsics; arithmetic whose bits depend on which of the two ran (the Vector
 * API's own EXP once, a lane sum in another order) gives other weights from run to run. A JVM limited
 * to C1 ({@code -XX:TieredStopAtLevel=1}) never runs the intrinsics, so its weights must be those of
 * the JVMs that do.
 */
class DeterminismTest {

    /** The forked runs: the CNN, whose convolution, pooling and GEMM kernels C2 compiles within 2 epochs. */
    private static final List<String> RUN = List.of("--model", "cnn", "--epochs", "2", "--threads", "2");

    @TempDir
    Path dir;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void sameSeedSameWeightsAtOneTwoOrFourThreadsForEveryModel() throws IOException {
        for (String model : Architecture.ALL.keySet()) {
            Map<String, NDArray> one = trained(model, "1", "0");
            assertSameBits(one, trained(model, "2", "0"), model + " at 2 threads against 1");
            assertSameBits(one, trained(model, "4", "0"), model + " at 4 threads against 1");
            String weight = one.keySet().stream().filter(k -> k.endsWith("weight")).findFirst().orElseThrow();
            assertFalse(Arrays.equals(one.get(weight).toFloatArray(), trained(model, "2", "1").get(weight).toFloatArray()),
                    model + ": another seed, other weights");
        }
    }

    private Map<String, NDArray> trained(String model, String threads, String seed) throws IOException {
        Path out = dir.resolve(model + "-" + threads + "-" + seed);
        MainJobTest.Run r = MainJobTest.run("--model", model, "--epochs", "3", "--threads", threads, "--seed", seed,
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        return SafeTensors.read(out.resolve("model.safetensors")).tensors();
    }

    @Test
    void sameBitsFromRunToRunAndWithoutC2() throws IOException, InterruptedException {
        Path first = dir.resolve("first"), second = dir.resolve("second"), c1 = dir.resolve("c1"), here = dir.resolve("here");
        List<Process> jvms = List.of(fork(first), fork(second), fork(c1, "-XX:TieredStopAtLevel=1"));
        List<String> args = new ArrayList<>(RUN);
        args.addAll(List.of("--out", here.toString()));
        MainJobTest.Run r = MainJobTest.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        Path[] outs = {first, second, c1};
        for (int i = 0; i < outs.length; i++) {
            assertTrue(jvms.get(i).waitFor(180, TimeUnit.SECONDS), outs[i] + ": the run did not finish in 180 s");
            assertEquals(0, jvms.get(i).exitValue(), Files.readString(outs[i].resolveSibling(outs[i].getFileName() + ".log")));
        }
        Map<String, NDArray> expected = SafeTensors.read(first.resolve("model.safetensors")).tensors();
        for (Path other : new Path[] {second, c1, here}) {
            assertSameBits(expected, SafeTensors.read(other.resolve("model.safetensors")).tensors(),
                    "run '" + other.getFileName() + "' against run 'first'");
            assertEquals(-1, Files.mismatch(first.resolve("model.safetensors"), other.resolve("model.safetensors")),
                    other.getFileName() + ": the same file, byte for byte");
        }
    }

    /** Starts the main job ({@link #RUN}) in a new JVM with the test classpath, writing into {@code out}. */
    private static Process fork(Path out, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(RUN);
        command.addAll(List.of("--out", out.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile()).start();
    }

    /** The same tensors with the same bits; a difference is reported as how many elements differ, and by how much. */
    static void assertSameBits(Map<String, NDArray> expected, Map<String, NDArray> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((name, e) -> {
            assertArrayEquals(e.shape(), actual.get(name).shape(), what + ": " + name);
            float[] a = e.toFloatArray(), b = actual.get(name).toFloatArray();
            int differ = 0;
            double largest = 0;
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                    differ++;
                    largest = Math.max(largest, Math.abs((double) a[i] - b[i]));
                }
            }
            assertEquals(0, differ, what + ": " + name + " differs in " + differ + " of " + a.length + " elements, by up to "
                    + largest);
        });
    }
}
