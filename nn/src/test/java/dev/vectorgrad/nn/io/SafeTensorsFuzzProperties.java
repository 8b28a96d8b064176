package dev.vectorgrad.nn.io;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Malformed files made from a valid one (truncated, bits flipped, bytes overwritten with large
 * numbers): every read either succeeds or throws {@link SafeTensorsException}; nothing else escapes.
 */
class SafeTensorsFuzzProperties {

    private static byte[] valid;
    private static Path dir;

    @BeforeContainer
    static void makeValidFile() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Generator g = new Generator(9);
        SafeTensors.write(out, Map.of("layer.weight", NDArray.randn(g, DType.FLOAT32, 3, 4),
                "layer.bias", NDArray.randn(g, DType.FLOAT64, 3)), Map.of("note", "fuzz"));
        valid = out.toByteArray();
        dir = Files.createTempDirectory("fuzz");
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static void readOrReject(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(dir, "f", ".safetensors");
        try {
            Files.write(f, bytes);
            SafeTensors.read(f);
        } catch (SafeTensorsException expected) {
            // a documented rejection
        } finally {
            Files.delete(f);
        }
    }

    @Property(tries = 400)
    void truncations(@ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
        readOrReject(java.util.Arrays.copyOf(valid, cut % (valid.length + 1)));
    }

    @Property(tries = 800)
    void bitFlips(@ForAll @IntRange(min = 0, max = 1_000_000) int position, @ForAll @IntRange(min = 0, max = 7) int bit,
                  @ForAll @IntRange(min = 1, max = 3) int flips) throws IOException {
        byte[] b = valid.clone();
        for (int i = 0; i < flips; i++) {
            int at = (position * (i + 7)) % b.length;
            b[at] ^= (byte) (1 << ((bit + i) % 8));
        }
        readOrReject(b);
    }

    @Property(tries = 400)
    void largeNumbersWrittenAnywhere(@ForAll @IntRange(min = 0, max = 1_000_000) int position,
                                     @ForAll("digits") String number) throws IOException {
        byte[] b = valid.clone();
        byte[] n = number.getBytes();
        int at = position % Math.max(1, b.length - n.length);
        System.arraycopy(n, 0, b, at, Math.min(n.length, b.length - at));
        readOrReject(b);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> digits() {
        return net.jqwik.api.Arbitraries.of("9999999999", "2147483648", "-1", "99999999999999999999", "1e308", "0");
    }
}
