package dev.vectorgrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    /** A file built byte by byte from the format's description: header length, JSON header, raw data. */
    static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    private SafeTensors.Contents readBytes(byte[] bytes) throws IOException {
        Path f = dir.resolve("t.safetensors");
        Files.write(f, bytes);
        return SafeTensors.read(f);
    }

    @Test
    void roundTripIsBitExactForBothDtypesAndOddShapes() throws IOException {
        Generator g = new Generator(4);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", NDArray.randn(g, DType.FLOAT32, 3, 5).transpose(0, 1));
        tensors.put("a.scalar", NDArray.scalar(-0.0, DType.FLOAT64));
        tensors.put("empty", NDArray.zeros(DType.FLOAT32, 0, 4));
        tensors.put("x", NDArray.of(new double[] {Double.NaN, Double.MIN_VALUE, -1e308}, 3));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, tensors, Map.of("format", "pt"));
        SafeTensors.Contents back = SafeTensors.read(f);
        assertEquals(Map.of("format", "pt"), back.metadata());
        assertEquals(Set.of("a.scalar", "b.weight", "empty", "x"), back.tensors().keySet());
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
    void readsHalfPrecisionTypes() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3c00).putShort((short) 0xc100).putShort((short) 0x7bff);   // F16: 1, -2.5, 65504
        data.putShort((short) 0x3f80).putShort((short) 0x4049);                            // BF16: 1, 3.140625
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}";
        SafeTensors.Contents c = readBytes(file(header, data.array()));
        assertArrayEquals(new float[] {1, -2.5f, 65504}, c.tensors().get("h").toFloatArray());
        assertArrayEquals(new float[] {1, 3.140625f}, c.tensors().get("b").toFloatArray());
    }

    private void rejects(String expectedPart, byte[] bytes) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> readBytes(bytes));
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }

    @Test
    void rejectsEachKindOfBadHeader() {
        byte[] eight = new byte[8];
        rejects("too short", new byte[5]);
        rejects("header length 999 does not fit", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(999).array());
        rejects("header length 18446744073709551615", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        rejects("not valid UTF-8", badUtf8());
        rejects("not valid JSON", file("{\"a\":", new byte[0]));
        rejects("not valid JSON: invalid JSON at character 11: duplicate key", file("{\"a\":1,\"a\":2}", new byte[0]));
        rejects("nesting deeper", file("[".repeat(100) + "]".repeat(100), new byte[0]));
        rejects("has dtype I64", file("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", eight));
        rejects("needs 12 bytes but data_offsets [0, 8] give 8", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight));
        rejects("bad dimension -1", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", eight));
        rejects("more than 2^31-1 elements", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,8]}}", eight));
        rejects("cover 8 bytes but the data holds 16", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[16]));
        rejects("starts at byte 4 of the data, expected 8", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[12]));
        rejects("__metadata__ value of k is not a string", file("{\"__metadata__\":{\"k\":1}}", new byte[0]));
    }

    private static byte[] badUtf8() {
        byte[] f = file("{\"ab\":1}", new byte[0]);
        f[10] = (byte) 0xff;
        return f;
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
