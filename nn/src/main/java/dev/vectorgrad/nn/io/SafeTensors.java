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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header giving
 * each tensor's dtype, shape and byte range, then the raw little-endian data. Writes F32 and F64. Reads
 * these stored types, each as the dtype that holds all its values exactly:
 * <table>
 * <caption>stored type and the dtype read</caption>
 * <tr><th>stored</th><th>read as</th></tr>
 * <tr><td>F64</td><td>FLOAT64</td></tr>
 * <tr><td>F32, F16, BF16</td><td>FLOAT32</td></tr>
 * <tr><td>I64</td><td>FLOAT64; a value beyond 2^53 in magnitude is refused (FLOAT64 would round it)</td></tr>
 * <tr><td>I32</td><td>FLOAT64</td></tr>
 * <tr><td>I16, I8, U8</td><td>FLOAT32</td></tr>
 * <tr><td>BOOL</td><td>FLOAT32, 0 or 1; any other byte is refused</td></tr>
 * </table>
 * So a PyTorch state dict loads whole, BatchNorm's int64 {@code num_batches_tracked} included.
 *
 * <p>Reading trusts nothing in the file: every fault is a {@link SafeTensorsException} (see
 * {@link #read}), nothing is allocated before the whole header has been checked against the file's
 * size, and the header parser neither recurses nor builds what it does not keep. Limits: a header of
 * at most {@value #MAX_HEADER} bytes (the reference implementation's is 100 MB), at most
 * {@value Header#MAX_RANK} dimensions a tensor, at most 2^31-1 elements a tensor; the header must be
 * UTF-8 JSON with exactly the format's fields (an unknown field, a duplicate key, a number where a
 * string belongs, a fraction in a shape are refused).
 *
 * <pre>{@code
 * SafeTensors.write(Path.of("model.safetensors"), model.stateDict(), Map.of());
 * model.loadStateDict(SafeTensors.read(Path.of("model.safetensors")).tensors(), true);
 * }</pre>
 */
public final class SafeTensors {

    /** Headers above this size are refused: real ones are kilobytes. */
    static final long MAX_HEADER = 100L << 20;

    /** The bytes read at a time into a tensor's array. */
    private static final int CHUNK = 1 << 16;

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

    /**
     * Writes the safetensors bytes of {@code tensors}, sorted by name, to {@code out}: FLOAT32 tensors as
     * F32, FLOAT64 ones as F64.
     */
    public static void write(OutputStream out, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        if (tensors.containsKey(Header.METADATA)) {
            throw new IllegalArgumentException("SafeTensors.write: no tensor may be named " + Header.METADATA
                    + ", the format's key for the metadata");
        }
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
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (NDArray t : sorted.values()) {
            float[] f = t.dtype() == DType.FLOAT32 ? t.toFloatArray() : null;
            double[] d = f == null ? t.toDoubleArray() : null;
            int size = f != null ? 4 : 8;
            for (int at = 0; at < t.numel(); at += CHUNK / size) {
                int n = Math.min(CHUNK / size, t.numel() - at);
                chunk.clear();
                if (f != null) {
                    chunk.asFloatBuffer().put(f, at, n);
                } else {
                    chunk.asDoubleBuffer().put(d, at, n);
                }
                out.write(chunk.array(), 0, n * size);
            }
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

    /**
     * Reads and validates {@code file}: all of it or nothing. Any content that is not a well-formed
     * safetensors file is a {@link SafeTensorsException} naming the file and the fault; failures of the
     * file system itself (no such file, a read error) are the {@link IOException}s of {@code java.nio}.
     * The whole header is checked against the file's size before a tensor is allocated, so the heap the
     * reader takes is bounded by what the file holds, never by what its header claims: the header (at
     * most {@value #MAX_HEADER} bytes) while it is parsed, each tensor's decoded array (at most 4 bytes
     * per stored byte, for U8, I8 and BOOL read as FLOAT32) and a 64 KiB buffer. A well-formed file
     * whose tensors do not fit in the heap is a SafeTensorsException too, not an OutOfMemoryError.
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new SafeTensorsException(file + ": " + size + " bytes is too short for a safetensors file");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw new SafeTensorsException(file + ": header length " + Long.toUnsignedString(headerLength)
                        + " does not fit a file of " + size + " bytes (or exceeds " + MAX_HEADER + ")");
            }
            // At most MAX_HEADER bytes, and no more than the file holds: checked just above.
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(file, channel, headerBytes, 8);
            Header header = Header.parse(file, utf8(file, headerBytes.flip()), size - 8 - headerLength);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Header.Entry e : header.entries()) {
                tensors.put(e.name(), decode(file, channel, 8 + headerLength, e, chunk));
            }
            return new Contents(tensors, header.metadata());
        }
    }

    /**
     * The tensor {@code e} of the data starting at byte {@code dataStart}, read through {@code chunk}.
     * Header.parse has checked that its bytes lie within the file, so its array holds elements the file
     * stores.
     */
    private static NDArray decode(Path file, FileChannel channel, long dataStart, Header.Entry e, ByteBuffer chunk)
            throws IOException {
        boolean single = e.dtype().dtype == DType.FLOAT32;
        Object out;
        try {
            out = single ? new float[e.count()] : new double[e.count()];
        } catch (OutOfMemoryError oom) {
            // One large allocation failed and left the heap as it was: a file bigger than the heap, not a broken JVM.
            throw new SafeTensorsException(file + ": " + Header.where(e.name()) + " of " + e.count() + " elements does not fit in the heap ("
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB at most)");
        }
        long position = dataStart + e.begin();
        int done = 0;
        while (done < e.count()) {
            // CHUNK is a multiple of every element size, so a chunk holds whole elements.
            int take = (int) Math.min(CHUNK, (long) (e.count() - done) * e.dtype().bytes);
            chunk.clear().limit(take);
            readFully(file, channel, chunk, position);
            int n = take / e.dtype().bytes;
            e.dtype().decode(chunk.flip(), out, done, n, file, e.name());
            done += n;
            position += take;
        }
        return single ? NDArray.of((float[]) out, e.shape()) : NDArray.of((double[]) out, e.shape());
    }

    private static String utf8(Path file, ByteBuffer bytes) throws SafeTensorsException {
        String text = new String(bytes.array(), 0, bytes.limit(), StandardCharsets.UTF_8);
        // The fast decoder replaces a malformed sequence with U+FFFD; only then is the strict one needed,
        // to tell a stored U+FFFD from a fault and to find the fault.
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file + ": header is not valid UTF-8 (at byte " + (8 + bytes.position()) + ")");
        }
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, position);
            if (n < 0) {
                throw new SafeTensorsException(file + ": unexpected end of file at byte " + position + " (did the file shrink while read?)");
            }
            position += n;
        }
    }
}
