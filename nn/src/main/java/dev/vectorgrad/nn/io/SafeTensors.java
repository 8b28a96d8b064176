package dev.vectorgrad.nn.io;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header giving
 * each tensor's dtype, shape and byte range, then the raw little-endian data. Writes F32 and F64; reads
 * F32, F64, F16 and BF16 (the half types as FLOAT32). The reader checks the whole header against the
 * file before it allocates a tensor and throws {@link SafeTensorsException} for any bad content.
 *
 * <pre>{@code
 * SafeTensors.write(Path.of("model.safetensors"), model.stateDict(), Map.of());
 * model.loadStateDict(SafeTensors.read(Path.of("model.safetensors")).tensors(), true);
 * }</pre>
 */
public final class SafeTensors {

    /** Headers above this size are refused: real ones are kilobytes. */
    static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** The tensors (in file order) and the {@code __metadata__} strings of a file. */
    public record Contents(Map<String, NDArray> tensors, Map<String, String> metadata) {
    }

    /**
     * Writes {@code tensors} to {@code file} atomically: to a temporary file beside it, forced to the disk,
     * then moved into place, so an interrupted save leaves any previous file whole.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, UnaryOperator.identity());
    }

    /** {@link #write(Path, Map, Map)} with the temporary file's stream passed through {@code wrap} (tests inject failures). */
    static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata, UnaryOperator<OutputStream> wrap)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = wrap.apply(new BufferedOutputStream(Channels.newOutputStream(channel)))) {
                write(out, tensors, metadata);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the safetensors bytes of {@code tensors}, sorted by name, to {@code out}. */
    public static void write(OutputStream out, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        Map<String, NDArray> sorted = new TreeMap<>(tensors);
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append("\"__metadata__\":{");
            new TreeMap<>(metadata).forEach((k, v) -> header.append(quote(k)).append(':').append(quote(v)).append(','));
            header.setLength(header.length() - 1);
            header.append("},");
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
            NDArray t = e.getValue();
            long bytes = (long) t.numel() * (t.dtype() == DType.FLOAT32 ? 4 : 8);
            header.append(quote(e.getKey())).append(":{\"dtype\":\"").append(t.dtype() == DType.FLOAT32 ? "F32" : "F64")
                    .append("\",\"shape\":").append(java.util.Arrays.toString(t.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]},");
            offset += bytes;
        }
        if (header.length() > 1) {
            header.setLength(header.length() - 1);
        }
        header.append('}');
        // Pad with spaces so that the data starts 8-byte aligned, as the reference writer does.
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.write(json);
        for (NDArray t : sorted.values()) {
            ByteBuffer data = ByteBuffer.allocate(t.numel() * (t.dtype() == DType.FLOAT32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
            if (t.dtype() == DType.FLOAT32) {
                data.asFloatBuffer().put(t.toFloatArray());
            } else {
                data.asDoubleBuffer().put(t.toDoubleArray());
            }
            out.write(data.array());
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Reads and validates {@code file}. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new SafeTensorsException(file + ": " + size + " bytes is too short for a safetensors file");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw new SafeTensorsException(file + ": header length " + Long.toUnsignedString(headerLength)
                        + " does not fit a file of " + size + " bytes (or exceeds " + MAX_HEADER + ")");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            List<Entry> entries = new ArrayList<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            parseHeader(file, headerBytes.flip(), size - 8 - headerLength, entries, metadata);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            long dataStart = 8 + headerLength;
            for (Entry e : entries) {
                ByteBuffer raw = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(channel, raw, dataStart + e.begin);
                tensors.put(e.name, e.dtype.decode(raw.flip(), e.shape));
            }
            return new Contents(tensors, metadata);
        }
    }

    private record Entry(String name, StoredType dtype, int[] shape, long begin, long end) {
    }

    private static void parseHeader(Path file, ByteBuffer bytes, long dataSize, List<Entry> entries,
                                    Map<String, String> metadata) throws SafeTensorsException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file + ": header is not valid UTF-8");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file + ": header is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new SafeTensorsException(file + ": header is not a JSON object");
        }
        for (Map.Entry<?, ?> kv : map.entrySet()) {
            String name = (String) kv.getKey();
            if (name.equals("__metadata__")) {
                if (!(kv.getValue() instanceof Map<?, ?> meta)) {
                    throw new SafeTensorsException(file + ": __metadata__ is not an object");
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String s)) {
                        throw new SafeTensorsException(file + ": __metadata__ value of " + m.getKey() + " is not a string");
                    }
                    metadata.put((String) m.getKey(), s);
                }
                continue;
            }
            entries.add(entry(file, name, kv.getValue()));
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin != expected) {
                throw new SafeTensorsException(file + ": tensor " + e.name + " starts at byte " + e.begin + " of the data, expected "
                        + expected + " (ranges must cover the data without gaps or overlaps)");
            }
            expected = e.end;
        }
        if (expected != dataSize) {
            throw new SafeTensorsException(file + ": the tensors cover " + expected + " bytes but the data holds " + dataSize);
        }
    }

    private static Entry entry(Path file, String name, Object value) throws SafeTensorsException {
        String where = file + ": tensor " + name;
        if (!(value instanceof Map<?, ?> info)) {
            throw new SafeTensorsException(where + " is not an object");
        }
        if (!(info.get("dtype") instanceof String dtypeName)) {
            throw new SafeTensorsException(where + " has no dtype");
        }
        StoredType dtype = StoredType.named(dtypeName);
        if (dtype == null) {
            throw new SafeTensorsException(where + " has dtype " + dtypeName + "; readable: F32, F64, F16, BF16");
        }
        if (!(info.get("shape") instanceof List<?> dims) || !(info.get("data_offsets") instanceof List<?> offsets)
                || offsets.size() != 2) {
            throw new SafeTensorsException(where + " needs a shape list and two data_offsets");
        }
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int d = 0; d < shape.length; d++) {
            if (!(dims.get(d) instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                throw new SafeTensorsException(where + " has a bad dimension " + dims.get(d));
            }
            shape[d] = (int) (long) n;
            // Both factors are at most 2^31-1, so the product fits a long before it is checked.
            count *= n;
            if (count > Integer.MAX_VALUE) {
                throw new SafeTensorsException(where + " has more than 2^31-1 elements");
            }
        }
        if (!(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end) || begin < 0 || end < begin) {
            throw new SafeTensorsException(where + " has bad data_offsets " + offsets);
        }
        if (end - begin != count * dtype.bytes) {
            throw new SafeTensorsException(where + ": shape " + dims + " of " + dtypeName + " needs " + count * dtype.bytes
                    + " bytes but data_offsets " + offsets + " give " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, position);
            if (n < 0) {
                throw new SafeTensorsException("unexpected end of file at byte " + position);
            }
            position += n;
        }
    }
}
