package dev.vectorgrad.nn.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.nn.data.Csv;
import dev.vectorgrad.nn.io.SafeTensors;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files bigger than the heap, read by a JVM of 64 MiB: a well-formed safetensors file whose tensor needs
 * 128 MiB (a sparse file: its data costs no disk), and a 40 KiB gzip that expands to 32 MiB of CSV
 * zeros. Each read ends in its reader's exception saying the data does not fit in the heap, not in an
 * OutOfMemoryError: the readers allocate the large arrays in one piece and report that allocation's failure.
 */
class SmallHeapTest {

    /** Reads each file named on the command line and prints one line per file: what the read ended in. */
    public static final class Reader {
        public static void main(String[] args) {
            for (String name : args) {
                Path file = Path.of(name);
                try {
                    Object value = name.endsWith(".gz") ? Csv.read(file, false, -1) : SafeTensors.read(file);
                    System.out.println("read " + value.getClass().getSimpleName());
                } catch (Throwable t) {
                    System.out.println(t.getClass().getSimpleName() + ": " + t.getMessage());
                }
            }
        }
    }

    @Test
    void filesBiggerThanTheHeapEndInTheReadersExceptions(@TempDir Path dir) throws IOException, InterruptedException {
        Path big = dir.resolve("big.safetensors");
        long elements = 32L << 20;
        byte[] header = ("{\"big\":{\"dtype\":\"F32\",\"shape\":[" + elements + "],\"data_offsets\":[0," + 4 * elements + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            f.write(header);
            f.setLength(8 + header.length + 4 * elements);
        }
        Path bomb = dir.resolve("zeros.csv.gz");
        byte[] row = ("0,".repeat(999) + "0\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            for (int i = 0; i < 16 << 10; i++) {
                out.write(row);
            }
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-Xmx64m", "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Reader.class.getName(), big.toString(), bomb.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the small-heap JVM finished");
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("WARNING")).toList();
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("SafeTensorsException: " + big + ": tensor big of 33554432 elements does not fit in the heap ("),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("CsvException: " + bomb + ":") && lines.get(1).contains(": the data does not fit in the heap ("),
                lines.get(1));
    }
}
