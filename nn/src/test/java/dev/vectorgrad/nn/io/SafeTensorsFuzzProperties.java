package dev.vectorgrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.reliability.GuardedRead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Untrusted safetensors files: valid ones generated over every stored type (names with escapes and
 * non-ASCII letters, metadata, data in any order), then truncated, bit-flipped, given another header
 * length, garbled, or changed in one field of the header from a catalogue of faults (wrong types, NaN,
 * huge or negative or overlapping or out-of-file offsets, sizes that do not match the shape, duplicate
 * keys, deep nesting, invalid UTF-8, ...). A valid file reads back exactly; every other read ends in a
 * {@link SafeTensorsException} (for a catalogued fault: with its reason), within a deadline, having
 * allocated at most {@link #HEAP_PER_BYTE} bytes per byte of the file (plus {@link GuardedRead#SLACK}).
 * 6,080 files a run.
 */
// jqwik's combined edge cases of these nested generators cost more than the reads; the generators list the extremes.
@PropertyDefaults(edgeCases = EdgeCasesMode.NONE)
class SafeTensorsFuzzProperties {

    /** The heap a read may take per byte of its file: tensors widened fourfold (U8 to FLOAT32) and objects. */
    static final long HEAP_PER_BYTE = 16;

    private static Path dir;

    @BeforeContainer
    static void makeDirectory() throws IOException {
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

    /** One tensor as generated: its stored type, shape, values and their bytes. */
    record Generated(String name, StoredType type, int[] shape, double[] values, byte[] data) {
    }

    /** A valid file's content: the tensors in header order, the metadata, and the order of their data. */
    record Spec(List<Generated> tensors, Map<String, String> metadata, List<Integer> dataOrder) {
    }

    /**
     * A file in parts that a mutation may change before it is rendered: the header's entries as JSON
     * texts of their fields, the metadata's JSON text, the data, and bytes to put in place of U+E000.
     */
    static final class Draft {
        final List<String> names = new ArrayList<>();
        final List<Map<String, String>> fields = new ArrayList<>();
        String metadata;
        String open = "{";
        String close = "}";
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] inPlaceOfE000;

        Draft(Spec spec) {
            long[] begin = new long[spec.tensors().size()];
            for (int i : spec.dataOrder()) {
                begin[i] = data.size();
                data.writeBytes(spec.tensors().get(i).data());
            }
            for (int i = 0; i < spec.tensors().size(); i++) {
                Generated t = spec.tensors().get(i);
                add(t.name(), t.type().name(), Arrays.toString(t.shape()), begin[i], begin[i] + t.data().length);
            }
            metadata = spec.metadata().isEmpty() ? null : spec.metadata().entrySet().stream()
                    .map(e -> quote(e.getKey()) + ":" + quote(e.getValue())).collect(Collectors.joining(",", "{", "}"));
        }

        void add(String name, String dtype, String shape, long begin, long end) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("dtype", quote(dtype));
            f.put("shape", shape);
            f.put("data_offsets", "[" + begin + "," + end + "]");
            names.add(name);
            fields.add(f);
        }

        byte[] render() {
            List<String> members = new ArrayList<>();
            if (metadata != null) {
                members.add("\"__metadata__\":" + metadata);
            }
            for (int i = 0; i < names.size(); i++) {
                members.add(quote(names.get(i)) + ":" + fields.get(i).entrySet().stream()
                        .map(e -> quote(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}")));
            }
            byte[] header = (open + String.join(",", members) + close).getBytes(StandardCharsets.UTF_8);
            if (inPlaceOfE000 != null) {
                header = replace(header, "\uE000".getBytes(StandardCharsets.UTF_8), inPlaceOfE000);
            }
            return Stored.file(header, data.toByteArray());
        }
    }

    /** JSON's quoting: quotes and backslashes escaped, control characters as \\u escapes. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static byte[] replace(byte[] in, byte[] what, byte[] with) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (i + what.length <= in.length && Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                out.writeBytes(with);
                i += what.length - 1;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    // ---- generators ---------------------------------------------------------------------------------

    /** Values each type holds exactly (11 significant bits for F16, 8 for BF16), its extremes among them. */
    private static Arbitrary<Double> value(StoredType type) {
        return switch (type) {
            case F64 -> Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.NEGATIVE_INFINITY, -0.0,
                    Double.MIN_VALUE, Double.MAX_VALUE));
            case F32 -> Arbitraries.oneOf(Arbitraries.floats().map(f -> (double) f), Arbitraries.of((double) Float.NaN,
                    (double) Float.MAX_VALUE, (double) Float.MIN_VALUE, Double.POSITIVE_INFINITY));
            case F16 -> Arbitraries.integers().between(-2048, 2048).map(i -> i / 8.0);
            case BF16 -> Arbitraries.integers().between(-256, 256).map(i -> i / 8.0);
            case I64 -> Arbitraries.longs().between(-(1L << 53), 1L << 53).map(l -> (double) l);
            case I32 -> Arbitraries.integers().map(i -> (double) i);
            case I16 -> Arbitraries.shorts().map(s -> (double) s);
            case I8 -> Arbitraries.bytes().map(b -> (double) b);
            case U8 -> Arbitraries.integers().between(0, 255).map(i -> (double) i);
            case BOOL -> Arbitraries.of(0.0, 1.0);
        };
    }

    private static Arbitrary<Generated> tensor(String name) {
        Arbitrary<int[]> shapes = Arbitraries.integers().between(0, 5).list().ofMaxSize(3)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        return Combinators.combine(Arbitraries.of(StoredType.class), shapes).flatAs((type, shape) -> {
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            return value(type).list().ofSize(n).map(v -> {
                double[] values = v.stream().mapToDouble(Double::doubleValue).toArray();
                return new Generated(name, type, shape, values, Stored.encode(type, values));
            });
        });
    }

    @Provide
    Arbitrary<Spec> files() {
        Arbitrary<String> names = Arbitraries.of("weight", "0.bias", "bn.num_batches_tracked", "poids.é", "名前", "quote\"d",
                "back\\slash", "tab\tnew\nline", "", "\uFFFD", "layer.0.self_attn.in_proj_weight");
        Arbitrary<List<Generated>> tensors = names.list().uniqueElements().ofMinSize(1).ofMaxSize(4)
                .flatMap(list -> Combinators.combine(list.stream().map(SafeTensorsFuzzProperties::tensor).toList()).as(l -> l));
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(Arbitraries.of("format", "note", "ключ"),
                Arbitraries.strings().ofMaxLength(12)).ofMaxSize(2);
        return Combinators.combine(tensors, metadata).flatAs((t, m) -> Arbitraries.shuffle(
                IntStream.range(0, t.size()).boxed().toList()).map(order -> new Spec(t, m, order)));
    }

    // ---- running a read -----------------------------------------------------------------------------

    /** Reads {@code bytes} from a file of their own (a read never meets another's file). */
    private static GuardedRead.Outcome<SafeTensors.Contents> read(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(dir, "f", ".safetensors");
        try {
            Files.write(f, bytes);
            return GuardedRead.run(HEAP_PER_BYTE * bytes.length + GuardedRead.SLACK, () -> SafeTensors.read(f));
        } finally {
            Files.delete(f);
        }
    }

    private static SafeTensorsException rejected(byte[] bytes) throws IOException {
        return GuardedRead.assertRejected(read(bytes), SafeTensorsException.class);
    }

    private static void readOrRejected(byte[] bytes) throws IOException {
        GuardedRead.assertReadOrRejected(read(bytes), SafeTensorsException.class);
    }

    // ---- properties ---------------------------------------------------------------------------------

    @Property(tries = 300)
    void validFilesReadBackExactly(@ForAll("files") Spec spec) throws IOException {
        byte[] bytes = new Draft(spec).render();
        GuardedRead.Outcome<SafeTensors.Contents> o = read(bytes);
        GuardedRead.assertReadOrRejected(o, SafeTensorsException.class);
        assertTrue(o.thrown() == null, () -> "a valid file was refused: " + o.thrown());
        assertEquals(spec.metadata(), o.value().metadata());
        assertEquals(spec.tensors().size(), o.value().tensors().size());
        for (Generated t : spec.tensors()) {
            NDArray back = o.value().tensors().get(t.name());
            assertEquals(t.type().dtype, back.dtype(), t.name());
            assertArrayEquals(t.shape(), back.shape(), t.name());
            assertArrayEquals(t.values(), back.toDoubleArray(), t.name());
        }
    }

    /** A file cut short is refused wherever the cut falls: a file's own length names where the data ends. */
    @Property(tries = 1500)
    void truncatedFilesAreRefused(@ForAll("files") Spec spec, @ForAll @IntRange(min = 0, max = 1 << 20) int cut)
            throws IOException {
        byte[] bytes = new Draft(spec).render();
        rejected(Arrays.copyOf(bytes, cut % bytes.length));
    }

    /** Every cut of one file, byte by byte: inside the length, the header, each tensor, and at each boundary. */
    @Example
    void everyCutOfAFileIsRefused() throws IOException {
        Draft d = new Draft(new Spec(List.of(
                new Generated("a", StoredType.I64, new int[] {2}, new double[] {1, -2}, Stored.encode(StoredType.I64, 1, -2)),
                new Generated("b", StoredType.BF16, new int[] {3}, new double[] {1, 2, 3}, Stored.encode(StoredType.BF16, 1, 2, 3)),
                new Generated("c", StoredType.BOOL, new int[] {0}, new double[0], new byte[0]),
                new Generated("d", StoredType.U8, new int[] {}, new double[] {7}, new byte[] {7})),
                Map.of("format", "pt"), List.of(1, 0, 2, 3)));
        byte[] bytes = d.render();
        assertEquals(4, read(bytes).value().tensors().size());
        for (int cut = 0; cut < bytes.length; cut++) {
            rejected(Arrays.copyOf(bytes, cut));
        }
    }

    @Property(tries = 1500)
    void bitFlipsAreReadOrRefused(@ForAll("files") Spec spec, @ForAll @IntRange(min = 0, max = 1 << 20) int position,
                                  @ForAll @IntRange(min = 0, max = 7) int bit, @ForAll @IntRange(min = 1, max = 4) int flips)
            throws IOException {
        byte[] bytes = new Draft(spec).render();
        for (int i = 0; i < flips; i++) {
            bytes[(position + 97 * i) % bytes.length] ^= (byte) (1 << ((bit + 3 * i) % 8));
        }
        readOrRejected(bytes);
    }

    @Provide
    Arbitrary<Long> lengthChanges() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-64, 64), Arbitraries.longs(),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 1L << 32, 1L << 40, SafeTensors.MAX_HEADER + 1));
    }

    /**
     * Any other header length is refused: too long and the data comes up short, too short and the JSON
     * ends early or the data gains bytes; huge, negative (as unsigned: above 2^63) or beyond the file.
     */
    @Property(tries = 500)
    void anotherHeaderLengthIsRefused(@ForAll("files") Spec spec, @ForAll("lengthChanges") long change) throws IOException {
        byte[] bytes = new Draft(spec).render();
        ByteBuffer length = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long original = length.getLong(0);
        long replaced = Math.abs(change) <= 64 ? original + change : change;
        Assume.that(replaced != original);
        length.putLong(0, replaced);
        rejected(bytes);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(random, random.filter(b -> b.length > 0).map(b -> {
            byte[] framed = Arrays.copyOf(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(b.length).array(), 8 + b.length);
            System.arraycopy(b, 0, framed, 8, b.length);
            framed[8] = '{';
            return framed;
        }));
    }

    /** Random bytes, bare or behind a header length that fits them. */
    @Property(tries = 500)
    void binaryGarbageIsRefused(@ForAll("garbage") byte[] bytes) throws IOException {
        readOrRejected(bytes);
    }

    /** A fault put into a valid file's header, with a part of the message that must name it. */
    record Fault(String label, String reason, Consumer<Draft> apply) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static Fault fault(String label, String reason, Consumer<Draft> apply) {
        return new Fault(label, reason, apply);
    }

    /** The faults for the tensor at {@code i} of {@code spec}. */
    private static List<Fault> faults(Spec spec, int i) {
        Generated t = spec.tensors().get(i);
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        long count = t.values().length;
        List<Fault> out = new ArrayList<>();
        for (String v : List.of("32", "null", "[\"F32\"]", "{}", "true")) {
            out.add(fault("dtype " + v, "expected a string", d -> d.fields.get(i).put("dtype", v)));
        }
        for (String v : List.of("F8_E4M3", "f32", "", "I128", "U16", "float32")) {
            out.add(fault("dtype " + v, "has dtype", d -> d.fields.get(i).put("dtype", quote(v))));
        }
        for (String v : List.of("[-1]", "[2147483648]", "[1099511627776]", "[9223372036854775807]")) {
            out.add(fault("shape " + v, "has a dimension of", d -> d.fields.get(i).put("shape", v)));
        }
        out.add(fault("shape of 2^40 elements", "exceeds 2^31-1", d -> d.fields.get(i).put("shape", "[1048576,1048576]")));
        out.add(fault("shape of 2^62 elements", "exceeds 2^31-1", d -> d.fields.get(i).put("shape", "[2147483647,2147483647,2]")));
        out.add(fault("shape overflowing a long", "out of the range of a long", d -> d.fields.get(i).put("shape", "[99999999999999999999]")));
        for (String v : List.of("[2.0]", "[1e3]", "[2.5]")) {
            out.add(fault("shape " + v, "not a fraction or an exponent", d -> d.fields.get(i).put("shape", v)));
        }
        for (String v : List.of("[NaN]", "[Infinity]", "[-Infinity]", "[\"2\"]", "[null]", "[[2]]", deep, "[" + deep + "]", "[+1]", "[-]")) {
            out.add(fault("shape " + v.substring(0, Math.min(v.length(), 12)), "expected a whole number",
                    d -> d.fields.get(i).put("shape", v)));
        }
        for (String v : List.of("{}", "2", "\"[2]\"", "null")) {
            out.add(fault("shape " + v.substring(0, Math.min(v.length(), 12)), "expected an array", d -> d.fields.get(i).put("shape", v)));
        }
        out.add(fault("65 dimensions", "more than 64 dimensions", d -> d.fields.get(i).put("shape", "[" + "1,".repeat(64) + "1]")));
        out.add(fault("one element more", "bytes but data_offsets",
                d -> d.fields.get(i).put("shape", "[" + (count + 1) + "]")));
        long begin = spec.dataOrder().subList(0, spec.dataOrder().indexOf(i)).stream()
                .mapToLong(j -> spec.tensors().get(j).data().length).sum();
        long end = begin + t.data().length;
        long dataSize = spec.tensors().stream().mapToLong(s -> s.data().length).sum();
        out.add(fault("one data offset", "needs two data_offsets", d -> d.fields.get(i).put("data_offsets", "[0]")));
        out.add(fault("no data offsets", "needs two data_offsets", d -> d.fields.get(i).put("data_offsets", "[]")));
        out.add(fault("three data offsets", "more than two data_offsets", d -> d.fields.get(i).put("data_offsets", "[0,0,0]")));
        out.add(fault("negative data offset", "need 0 <= begin <= end", d -> d.fields.get(i).put("data_offsets", "[-8,0]")));
        out.add(fault("end before begin", "need 0 <= begin <= end", d -> d.fields.get(i).put("data_offsets", "[9,8]")));
        out.add(fault("end of 2^63-1", "bytes but data_offsets", d -> d.fields.get(i).put("data_offsets", "[0,9223372036854775807]")));
        String moved = "of the data, expected|the tensors cover";
        out.add(fault("offsets beyond the file", moved, d -> d.fields.get(i).put("data_offsets", "[" + (begin + (1L << 40)) + ","
                + (end + (1L << 40)) + "]")));
        if (count > 0) {
            // Moving an empty tensor may land it on another boundary, which is valid.
            out.add(fault("offsets moved by one element", moved, d -> d.fields.get(i).put("data_offsets", "[" + (begin + t.type().bytes)
                    + "," + (end + t.type().bytes) + "]")));
        }
        if (dataSize > 0) {
            // Over no data, a tensor at 0 overlaps nothing.
            out.add(fault("offsets overlapping", "of the data, expected", d -> {
                d.add("\uE001", t.type().name(), "[1]", 0, t.type().bytes);
                d.data.writeBytes(new byte[t.type().bytes]);
            }));
        }
        out.add(fault("data offsets as a string", "expected an array", d -> d.fields.get(i).put("data_offsets", "\"0,8\"")));
        out.add(fault("fractional data offset", "not a fraction or an exponent", d -> d.fields.get(i).put("data_offsets", "[0.0,8]")));
        out.add(fault("NaN data offset", "expected a whole number", d -> d.fields.get(i).put("data_offsets", "[NaN,8]")));
        out.add(fault("duplicate tensor", "duplicate key", d -> {
            d.names.add(t.name());
            d.fields.add(new LinkedHashMap<>(d.fields.get(i)));
        }));
        out.add(fault("unknown field", "unknown field", d -> d.fields.get(i).put("offsets", "[0,1]")));
        out.add(fault("missing shape", "needs dtype, shape and data_offsets", d -> d.fields.get(i).remove("shape")));
        out.add(fault("missing dtype", "needs dtype, shape and data_offsets", d -> d.fields.get(i).remove("dtype")));
        out.add(fault("metadata value a number", "expected a string", d -> d.metadata = "{\"k\":1}"));
        out.add(fault("metadata an array", "expected an object", d -> d.metadata = "[]"));
        out.add(fault("metadata nested deep", "expected a string", d -> d.metadata = "{\"k\":" + deep + "}"));
        out.add(fault("duplicate metadata key", "duplicate key", d -> d.metadata = "{\"k\":\"1\",\"k\":\"2\"}"));
        out.add(fault("root an array", "expected an object", d -> {
            d.open = "[";
            d.close = "]";
        }));
        out.add(fault("root nested deep", "expected an object", d -> d.open = deep + d.open));
        out.add(fault("text after the root", "unexpected text after the value", d -> d.close = "}x"));
        out.add(fault("second root", "unexpected text after the value", d -> d.close = "}{}"));
        out.add(fault("trailing comma", "expected a key", d -> d.close = ",}"));
        out.add(fault("unclosed root", "unexpected end|expected ',' or '}'", d -> d.close = ""));
        out.add(fault("control character in a name", "control character", inName(i, new byte[] {'\n'})));
        out.add(fault("bad escape in a name", "bad escape", inName(i, new byte[] {'\\', 'q'})));
        for (byte[] bad : List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3, '('}, new byte[] {(byte) 0xc0, (byte) 0xaf},
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})) {
            out.add(fault("invalid UTF-8 " + Arrays.toString(bad), "not valid UTF-8", inName(i, bad)));
        }
        out.add(fault("I64 beyond 2^53", "beyond 2^53", d -> {
            d.add("\uE001", "I64", "[1]", d.data.size(), d.data.size() + 8);
            d.data.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((1L << 53) + 1).array());
        }));
        out.add(fault("BOOL byte 2", "not 0 or 1", d -> {
            d.add("\uE001", "BOOL", "[1]", d.data.size(), d.data.size() + 1);
            d.data.write(2);
        }));
        return out;
    }

    /** Puts {@code bytes} as they are into the name of tensor {@code i}. */
    private static Consumer<Draft> inName(int i, byte[] bytes) {
        return d -> {
            d.names.set(i, "\uE000");
            d.inPlaceOfE000 = bytes;
        };
    }

    @Provide
    Arbitrary<Tuple2<Spec, Fault>> faultyFiles() {
        return files().flatMap(spec -> Arbitraries.integers().between(0, spec.tensors().size() - 1)
                .flatMap(i -> Arbitraries.of(faults(spec, i))).map(f -> Tuple.of(spec, f)));
    }

    @Property(tries = 1500)
    void eachHeaderFaultIsRefusedWithItsReason(@ForAll("faultyFiles") Tuple2<Spec, Fault> faulty) throws IOException {
        Draft d = new Draft(faulty.get1());
        faulty.get2().apply().accept(d);
        String message = rejected(d.render()).getMessage();
        assertTrue(Arrays.stream(faulty.get2().reason().split("\\|")).anyMatch(message::contains),
                () -> faulty.get2() + ": the message does not say " + faulty.get2().reason() + ": " + message);
    }
}
