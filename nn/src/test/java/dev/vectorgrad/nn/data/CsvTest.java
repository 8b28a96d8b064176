package dev.vectorgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.nn.reliability.GuardedRead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The CSV reader on text from untrusted hands: each documented rejection with its message, and what it accepts. */
class CsvTest {

    private static TensorDataset csv(byte[] bytes, String source) throws IOException {
        return Csv.read(new ByteArrayInputStream(bytes), source, false, -1, 0);
    }

    private static TensorDataset csv(String text) throws IOException {
        return csv(text.getBytes(StandardCharsets.UTF_8), "t.csv");
    }

    private static String error(byte[] bytes, String source) {
        return assertThrows(CsvException.class, () -> csv(bytes, source)).getMessage();
    }

    private static String error(String text) {
        return error(text.getBytes(StandardCharsets.UTF_8), "t.csv");
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void everyLineEndingAByteOrderMarkAndBlankLines() throws IOException {
        TensorDataset d = csv("\uFEFF1,2\r\n3,4\r5,6\n\n  \r\n\t\n7,8");
        assertArrayEquals(new float[] {1, 3, 5, 7}, d.x().toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6, 8}, d.y().toFloatArray());
        assertEquals("t.csv:3: 1 fields, expected 2", error("1,2\r\n3,4\r5\n"), "\\r\\n and \\r count one line each");
    }

    /** A \r\n split by the reader's 8 Ki-character buffer is still one line ending. */
    @Test
    void aLineEndingAcrossTheReadBufferIsOne() throws IOException {
        String first = "1," + "0".repeat(8189);
        TensorDataset d = csv(first + "\r\n2,3\n");
        assertArrayEquals(new float[] {1, 2}, d.x().toFloatArray());
        assertEquals("t.csv:3: 1 fields, expected 2", error(first + "\r\n2,3\n4\n"));
    }

    @Test
    void decimalNumbersAreFieldsAndNothingElse() throws IOException {
        TensorDataset d = csv("1,-1,+1,1.,.5,1e3,1E-3, 2.5 ,0\n");
        assertArrayEquals(new float[] {1, -1, 1, 1, 0.5f, 1000, 0.001f, 2.5f}, d.x().toFloatArray());
        for (String bad : List.of("1f", "1d", "0x1p3", "NaN", "Infinity", "-Infinity", "1e", "e5", ".", "-", "1.2.3", "\"1\"", "١",
                "1_000", "", "1 2", "--1", "1e+")) {
            assertEquals("t.csv:1: field 1 is not a number: \"" + bad.trim() + "\"", error(bad + ",0\n"), bad);
        }
    }

    @Test
    void numbersBeyondFloat32AreRefused() {
        assertEquals("t.csv:2: field 2 is 1e39, beyond the FLOAT32 range", error("1,2\n3,1e39\n"));
        assertEquals("t.csv:1: field 1 is -1e400, beyond the FLOAT32 range", error("-1e400,0\n"));
    }

    @Test
    void aGiantFieldIsReadAndShownCut() throws IOException {
        String digits = "1".repeat(10_000_000);
        assertEquals("t.csv:1: field 1 is " + "1".repeat(40) + "... (10000000 characters), beyond the FLOAT32 range",
                error(digits + ",0\n"));
        assertEquals("t.csv:1: field 1 is not a number: \"" + "x".repeat(40) + "... (10000000 characters)\"",
                error("x".repeat(10_000_000) + ",0\n"));
        assertArrayEquals(new float[] {0}, csv("0." + "0".repeat(10_000_000) + "1,0\n").x().toFloatArray(), "underflows to 0");
    }

    /** A line of more than 16 Mi characters is refused once it passes the limit, with no string of the whole file. */
    @Test
    void aLineBeyondTheLimitIsRefused() {
        byte[] noLineBreak = new byte[CsvLines.MAX_LINE + 10];
        Arrays.fill(noLineBreak, (byte) '7');
        GuardedRead.Outcome<?> o = GuardedRead.run(8L * noLineBreak.length, () -> csv(noLineBreak, "t.csv"));
        assertEquals("t.csv:1: line longer than 16777216 characters",
                GuardedRead.assertRejected(o, CsvException.class).getMessage());
    }

    @Test
    void bytesThatAreNotUtf8MakeTheirFieldNonNumeric() throws IOException {
        byte[] bad = {'1', ',', (byte) 0xff, '\n'};
        assertEquals("t.csv:1: field 2 is not a number: \"\uFFFD\"", error(bad, "t.csv"));
        byte[] inHeader = {'a', (byte) 0xc3, '(', '\n', '1', ',', '2', '\n'};
        assertArrayEquals(new float[] {2}, Csv.read(new ByteArrayInputStream(inHeader), "t.csv", true, -1, 0).y().toFloatArray(),
                "a header line is not read");
        assertEquals("t.csv:1: field 1 is not a number: \"1\\u0000\\u001b2\"", error(new byte[] {'1', 0, 0x1b, '2', ',', '2'}, "t.csv"));
    }

    @Test
    void gzipFaultsAreCsvExceptions() throws IOException {
        byte[] z = gzip("1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new float[] {2, 4}, csv(z, "t.csv.gz").y().toFloatArray());
        assertEquals("t.csv.gz: not a gzip file (its name ends in .gz)", error(new byte[0], "t.csv.gz"));
        assertEquals("t.csv.gz: not a gzip file (its name ends in .gz)", error(Arrays.copyOf(z, 5), "t.csv.gz"));
        assertEquals("t.csv.gz: truncated or corrupt gzip data (Unexpected end of ZLIB input stream)",
                error(Arrays.copyOf(z, z.length - 12), "t.csv.gz"));
        byte[] badCrc = z.clone();
        badCrc[z.length - 8] ^= 1;
        assertEquals("t.csv.gz: truncated or corrupt gzip data (Corrupt GZIP trailer)", error(badCrc, "t.csv.gz"));
        byte[] badBlock = z.clone();
        badBlock[10] = (byte) 0xff;
        assertEquals("t.csv.gz: truncated or corrupt gzip data (invalid block type)", error(badBlock, "t.csv.gz"));
    }
}
