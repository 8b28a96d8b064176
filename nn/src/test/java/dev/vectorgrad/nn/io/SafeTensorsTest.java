package dev.vectorgrad.nn.io;

import static dev.vectorgrad.nn.io.Stored.encode;
import static dev.vectorgrad.nn.io.Stored.entry;
import static dev.vectorgrad.nn.io.Stored.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.reliability.GuardedRead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private SafeTensors.Contents readBytes(byte[] bytes) throws IOException {
        return SafeTensors.read(write(bytes));
    }

    private Path write(byte[] bytes) throws IOException {
        Path f = dir.resolve("t.safetensors");
        Files.write(f, bytes);
        return f;
    }

    @Test
    void roundTripIsBitExactForBothDtypesAndOddShapes() throws IOException {
        Generator g = new Generator(4);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", NDArray.randn(g, DType.FLOAT32, 3, 5).transpose(0, 1));
        tensors.put("a.scalar", NDArray.scalar(-0.0, DType.FLOAT64));
        tensors.put("empty", NDArray.zeros(DType.FLOAT32, 0, 4));
        tensors.put("x", NDArray.of(new double[] {Double.NaN, Double.MIN_VALUE, -1e308}, 3));
        tensors.put("large32", NDArray.randn(g, DType.FLOAT32, 200, 201));
        tensors.put("large64", NDArray.randn(g, DType.FLOAT64, 9_000));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, tensors, Map.of("format", "pt"));
        SafeTensors.Contents back = SafeTensors.read(f);
        assertEquals(Map.of("format", "pt"), back.metadata());
        assertEquals(Set.of("a.scalar", "b.weight", "empty", "large32", "large64", "x"), back.tensors().keySet());
        for (String k : tensors.keySet()) {
            assertEquals(tensors.get(k).dtype(), back.tensors().get(k).dtype(), k);
            assertArrayEquals(tensors.get(k).shape(), back.tensors().get(k).shape(), k);
            assertArrayEquals(tensors.get(k).toDoubleArray(), back.tensors().get(k).toDoubleArray(), k);
        }
        assertEquals(0, (Files.size(f) - 8 - back.tensors().values().stream().mapToLong(t -> (long) t.numel()
                * (t.dtype() == DType.FLOAT32 ? 4 : 8)).sum()) % 8, "header padded so the data is 8-byte aligned");
    }

    @Test
    void writesWhatTheSpecDescribes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, Map.of("a", NDArray.of(new float[] {1, 2}, 2)), Map.of());
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        String padded = header + " ".repeat((8 - (header.length() + 8) % 8) % 8);
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).array();
        assertArrayEquals(file(padded, data), out.toByteArray());
    }

    @Test
    void theWriterRefusesATensorNamedLikeTheMetadata() {
        assertEquals("SafeTensors.write: no tensor may be named __metadata__, the format's key for the metadata",
                assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(new ByteArrayOutputStream(),
                        Map.of("__metadata__", NDArray.zeros(1)), Map.of())).getMessage());
    }

    /** One tensor of each stored type, with its extreme values: each read exactly, as the documented dtype. */
    @Test
    void readsEveryStoredTypeExactly() throws IOException {
        Map<StoredType, double[]> values = new LinkedHashMap<>();
        values.put(StoredType.F64, new double[] {Math.PI, -0.0, 1e308, Double.MIN_VALUE});
        values.put(StoredType.F32, new double[] {0.1f, -3.4028235e38f, Float.MIN_VALUE});
        values.put(StoredType.F16, new double[] {1, -2.5, 65504, 0x1p-24});
        values.put(StoredType.BF16, new double[] {1, 3.140625, -0x1p127});
        values.put(StoredType.I64, new double[] {-0x1p53, 0x1p53, -1, 0});
        values.put(StoredType.I32, new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -7});
        values.put(StoredType.I16, new double[] {Short.MIN_VALUE, Short.MAX_VALUE});
        values.put(StoredType.I8, new double[] {-128, 127, 0});
        values.put(StoredType.U8, IntStream.range(0, 70_000).mapToDouble(i -> i % 256).toArray());
        values.put(StoredType.BOOL, new double[] {0, 1, 1, 0});
        StringBuilder header = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        values.forEach((type, v) -> {
            header.append(header.length() > 1 ? "," : "").append(entry(type.name(), type.name(), "[" + v.length + "]",
                    data.size(), data.size() + (long) v.length * type.bytes));
            data.writeBytes(encode(type, v));
        });
        SafeTensors.Contents c = readBytes(file(header.append('}').toString(), data.toByteArray()));
        Map<StoredType, DType> documented = Map.of(StoredType.F64, DType.FLOAT64, StoredType.F32, DType.FLOAT32,
                StoredType.F16, DType.FLOAT32, StoredType.BF16, DType.FLOAT32, StoredType.I64, DType.FLOAT64,
                StoredType.I32, DType.FLOAT64, StoredType.I16, DType.FLOAT32, StoredType.I8, DType.FLOAT32,
                StoredType.U8, DType.FLOAT32, StoredType.BOOL, DType.FLOAT32);
        values.forEach((type, v) -> {
            NDArray t = c.tensors().get(type.name());
            assertEquals(documented.get(type), t.dtype(), type.name());
            assertArrayEquals(v, t.toDoubleArray(), type.name());
        });
    }

    private void rejects(String expected, byte[] bytes) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> readBytes(bytes));
        assertEquals(dir.resolve("t.safetensors") + ": " + expected, e.getMessage());
    }

    private static byte[] withLength(long headerLength, int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array();
    }

    /** A file of one F32 tensor {@code a} of shape [2] whose header reads {@code a:{fields}}, with 8 data bytes. */
    private static byte[] tensorA(String fields) {
        return file("{\"a\":{" + fields + "}}", new byte[8]);
    }

    @Test
    void rejectsEachFaultOfTheFraming() {
        rejects("5 bytes is too short for a safetensors file", new byte[5]);
        rejects("header length 999 does not fit a file of 16 bytes (or exceeds 104857600)", withLength(999, 16));
        rejects("header length 18446744073709551615 does not fit a file of 16 bytes (or exceeds 104857600)", withLength(-1, 16));
        rejects("header length 1 does not fit a file of 16 bytes (or exceeds 104857600)", withLength(1, 16));
        byte[] badUtf8 = file("{\"ab\":1}", new byte[0]);
        badUtf8[10] = (byte) 0xff;
        rejects("header is not valid UTF-8 (at byte 10)", badUtf8);
        rejects("header is not valid UTF-8 (at byte 10)", file(new byte[] {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':',
                '{', '}', '}'}, new byte[0]));
        rejects("header is not valid UTF-8 (at byte 10)", file(new byte[] {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '{', '}', '}'},
                new byte[0]));
    }

    @Test
    void aStoredReplacementCharacterIsNoFault() throws IOException {
        String name = "w\uFFFD";
        assertEquals(Set.of(name), readBytes(file("{" + entry(name, "F32", "[]", 0, 4) + "}", new byte[4])).tensors().keySet());
    }

    @Test
    void aHeaderAboveTheLimitIsRefusedUnread() throws IOException {
        Path f = dir.resolve("t.safetensors");
        try (RandomAccessFile sparse = new RandomAccessFile(f.toFile(), "rw")) {
            sparse.write(withLength(SafeTensors.MAX_HEADER + 1, 8));
            sparse.setLength(SafeTensors.MAX_HEADER + 100);
        }
        GuardedRead.Outcome<?> o = GuardedRead.run(GuardedRead.SLACK, () -> SafeTensors.read(f));
        assertEquals(f + ": header length 104857601 does not fit a file of 104857700 bytes (or exceeds 104857600)",
                GuardedRead.assertRejected(o, SafeTensorsException.class).getMessage());
    }

    @Test
    void rejectsEachFaultOfTheJson() {
        String at = "header at character ";
        rejects(at + "0: expected an object", file("[1]", new byte[0]));
        rejects(at + "2: expected an object", file("  ", new byte[0]));
        rejects(at + "2: unexpected text after the value", file("{}x", new byte[0]));
        rejects(at + "1: expected a key", file("{1:2}", new byte[0]));
        rejects(at + "1: expected a key", file("{,}", new byte[0]));
        rejects(at + "5: expected ':'", file("{\"a\" {}}", new byte[0]));
        rejects(at + "19: expected ',' or '}'", file("{\"__metadata__\":{} \"b\":{}}", new byte[0]));
        rejects(at + "19: expected a key", file("{\"__metadata__\":{},}", new byte[0]));
        rejects(at + "3: control character in a string", file("{\"a\nb\":{}}", new byte[0]));
        rejects(at + "4: bad escape \\x", file("{\"a\\x\":{}}", new byte[0]));
        rejects(at + "6: bad \\u escape", file("{\"a\\u0g00\":{}}", new byte[0]));
        rejects(at + "3: unexpected end", file("{\"a", new byte[0]));
        rejects(at + "5: expected an object", file("{\"a\":[]}", new byte[0]));
        rejects(at + "14: expected a string", tensorA("\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]"));
        rejects(at + "28: expected an array", tensorA("\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]"));
        rejects(at + "29: expected a whole number", tensorA("\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]"));
        rejects(at + "29: expected a whole number", tensorA("\"dtype\":\"F32\",\"shape\":[NaN],\"data_offsets\":[0,8]"));
        rejects(at + "29: expected a whole number", tensorA("\"dtype\":\"F32\",\"shape\":[Infinity],\"data_offsets\":[0,8]"));
        rejects(at + "29: expected a whole number", tensorA("\"dtype\":\"F32\",\"shape\":[+2],\"data_offsets\":[0,8]"));
        rejects(at + "30: expected a whole number, not a fraction or an exponent",
                tensorA("\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]"));
        rejects(at + "30: expected a whole number, not a fraction or an exponent",
                tensorA("\"dtype\":\"F32\",\"shape\":[2e0],\"data_offsets\":[0,8]"));
        rejects(at + "29: leading zero in a number", tensorA("\"dtype\":\"F32\",\"shape\":[02],\"data_offsets\":[0,8]"));
        rejects(at + "50: whole number out of the range of a long",
                tensorA("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,99999999999999999999]"));
        rejects(at + "50: whole number out of the range of a long",
                tensorA("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,9223372036854775808]"));
        rejects(at + "31: expected ',' or ']'", tensorA("\"dtype\":\"F32\",\"shape\":[2 2],\"data_offsets\":[0,8]"));
    }

    @Test
    void rejectsEachFaultOfTheHeaderStructure() {
        String at = "header at character ";
        rejects(at + "54: duplicate key \"a\"", file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("a", "F32", "[2]", 0, 8) + "}",
                new byte[8]));
        rejects(at + "19: duplicate key \"__metadata__\"", file("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0]));
        rejects(at + "25: duplicate key \"k\" in __metadata__", file("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", new byte[0]));
        rejects(at + "21: expected a string", file("{\"__metadata__\":{\"k\":1}}", new byte[0]));
        rejects(at + "16: expected an object", file("{\"__metadata__\":\"x\"}", new byte[0]));
        rejects(at + "6: tensor a has an unknown field \"offsets\" (expected dtype, shape, data_offsets)",
                tensorA("\"offsets\":[0,8]"));
        rejects(at + "20: tensor a has two \"dtype\" fields", tensorA("\"dtype\":\"F32\",\"dtype\":\"F32\""));
        rejects(at + "5: tensor a needs dtype, shape and data_offsets", tensorA("\"dtype\":\"F32\",\"shape\":[2]"));
        rejects(at + "14: tensor a has dtype F8_E4M3; readable: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL",
                tensorA("\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,8]"));
        rejects(at + "157: tensor a has more than 64 dimensions",
                tensorA("\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(64) + "2],\"data_offsets\":[0,8]"));
        rejects(at + "29: tensor a has a dimension of -1", tensorA("\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]"));
        rejects(at + "29: tensor a has a dimension of 2147483648", tensorA("\"dtype\":\"F32\",\"shape\":[2147483648],\"data_offsets\":[0,8]"));
        rejects(at + "37: tensor a has dimensions whose product (zeros aside) exceeds 2^31-1",
                tensorA("\"dtype\":\"F32\",\"shape\":[0,65536,32768],\"data_offsets\":[0,0]"));
        rejects(at + "47: tensor a needs two data_offsets", tensorA("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]"));
        rejects(at + "47: tensor a has more than two data_offsets", tensorA("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]"));
        rejects(at + "47: tensor a has data_offsets [-8, 0] (need 0 <= begin <= end)",
                tensorA("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]"));
        rejects(at + "47: tensor a has data_offsets [8, 0] (need 0 <= begin <= end)",
                tensorA("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]"));
        rejects(at + "5: tensor a: shape [3] of F32 needs 12 bytes but data_offsets [0, 8] give 8",
                tensorA("\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]"));
    }

    @Test
    void rejectsByteRangesThatDoNotTileTheData() {
        rejects("the tensors cover 8 bytes but the data holds 16", file("{" + entry("a", "F32", "[2]", 0, 8) + "}", new byte[16]));
        rejects("the tensors cover 16 bytes but the data holds 8", file("{" + entry("a", "F32", "[4]", 0, 16) + "}", new byte[8]));
        rejects("tensor a starts at byte 4 of the data, expected 0 (ranges must cover the data without gaps or overlaps)",
                file("{" + entry("a", "F32", "[1]", 4, 8) + "}", new byte[8]));
        rejects("tensor b starts at byte 4 of the data, expected 8 (ranges must cover the data without gaps or overlaps)",
                file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}", new byte[12]));
        rejects("tensor b starts at byte 0 of the data, expected 8 (ranges must cover the data without gaps or overlaps)",
                file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}", new byte[8]));
    }

    @Test
    void rejectsValuesWithoutAnExactDtype() {
        rejects("tensor big holds the I64 value 9007199254740993 at element 1, beyond 2^53 where FLOAT64 stops being exact",
                file("{" + entry("big", "I64", "[2]", 0, 16) + "}", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(1).putLong((1L << 53) + 1).array()));
        rejects("tensor small holds the I64 value -9223372036854775808 at element 0, beyond 2^53 where FLOAT64 stops being exact",
                file("{" + entry("small", "I64", "[]", 0, 8) + "}", withLength(Long.MIN_VALUE, 8)));
        rejects("tensor m holds the BOOL byte 2 at element 2, not 0 or 1", file("{" + entry("m", "BOOL", "[3]", 0, 3) + "}",
                new byte[] {1, 0, 2}));
        rejects("tensor m holds the BOOL byte 255 at element 69999, not 0 or 1", file("{" + entry("m", "BOOL", "[70000]", 0, 70_000)
                + "}", lastByte(70_000, (byte) -1)));
    }

    private static byte[] lastByte(int n, byte last) {
        byte[] b = new byte[n];
        b[n - 1] = last;
        return b;
    }

    /** A name or string of megabytes is shown cut in a message. */
    @Test
    void messagesShowLongNamesCut() {
        String name = "w".repeat(1_000_000);
        rejects("header at character 1000013: tensor " + "w".repeat(60) + "... (1000000 characters) has dtype Q; readable: "
                + "F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL", file("{" + entry(name, "Q", "[]", 0, 0) + "}", new byte[0]));
    }

    /**
     * A header that claims far more than the file holds is refused before anything is allocated for it:
     * the read allocates no more than for a file of a few bytes (HotSpot's count of the bytes the reading
     * thread allocated).
     */
    @Test
    void claimsBeyondTheFileAreRefusedWithoutAllocating() throws IOException {
        Map<String, byte[]> claims = new LinkedHashMap<>();
        claims.put("header at character 37: tensor a has dimensions whose product (zeros aside) exceeds 2^31-1",
                file("{" + entry("a", "F32", "[1048576,1048576]", 0, 1L << 42) + "}", new byte[16]));
        claims.put("the tensors cover 4294967296 bytes but the data holds 16",
                file("{" + entry("a", "F32", "[1073741824]", 0, 1L << 32) + "}", new byte[16]));
        claims.put("the tensors cover 17179869176 bytes but the data holds 16",
                file("{" + entry("a", "F64", "[2147483647]", 0, 17179869176L) + "}", new byte[16]));
        claims.put("header length 52428800 does not fit a file of 64 bytes (or exceeds 104857600)", withLength(50L << 20, 64));
        for (Map.Entry<String, byte[]> claim : claims.entrySet()) {
            Path f = write(claim.getValue());
            GuardedRead.Outcome<?> o = GuardedRead.run(64 << 10, () -> SafeTensors.read(f));
            SafeTensorsException e = GuardedRead.assertRejected(o, SafeTensorsException.class);
            assertEquals(f + ": " + claim.getKey(), e.getMessage());
        }
    }

    /** 100,000 nested arrays, where the header's object or a shape's number belongs: an error at the first one. */
    @Test
    void deepNestingIsAnErrorAtItsStart() throws IOException {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        rejects("header at character 0: expected an object", file(deep, new byte[0]));
        rejects("header at character 29: expected a whole number",
                tensorA("\"dtype\":\"F32\",\"shape\":[" + deep + "],\"data_offsets\":[0,8]"));
        rejects("header at character 5: expected an object", file("{\"a\":" + deep + "}", new byte[0]));
    }

    /** Many tensors and a long metadata string: a large valid header reads, nothing is quadratic in it. */
    @Test
    void aLargeValidHeaderReads() throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 20_000; i++) {
            tensors.put("layer" + i + ".bias", NDArray.of(new float[] {i}, 1));
        }
        Path f = dir.resolve("many.safetensors");
        String note = "n".repeat(5_000_000);
        SafeTensors.write(f, tensors, Map.of("note", note));
        GuardedRead.Outcome<SafeTensors.Contents> o = GuardedRead.run(8 * Files.size(f) + GuardedRead.SLACK, () -> SafeTensors.read(f));
        GuardedRead.assertReadOrRejected(o, SafeTensorsException.class);
        assertEquals(note, o.value().metadata().get("note"));
        assertEquals(20_000, o.value().tensors().size());
        assertEquals(19_999, o.value().tensors().get("layer19999.bias").item());
        assertEquals(List.copyOf(new TreeMap<>(tensors).keySet()), List.copyOf(o.value().tensors().keySet()),
                "the tensors come in the order of their data");
    }

    @Test
    void anInterruptedSaveLeavesThePreviousFileWhole() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        SafeTensors.write(f, Map.of("w", NDArray.of(new float[] {1, 2, 3}, 3)), Map.of());
        byte[] before = Files.readAllBytes(f);
        Map<String, NDArray> failing = new AbstractMap<>() {
            @Override
            public Set<Entry<String, NDArray>> entrySet() {
                throw new IllegalStateException("disk full (simulated)");
            }
        };
        assertThrows(IllegalStateException.class, () -> SafeTensors.write(f, failing, Map.of()));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
