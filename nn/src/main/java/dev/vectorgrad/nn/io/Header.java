package dev.vectorgrad.nn.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A safetensors header, read and checked against the data it describes: every tensor's dtype, shape and
 * byte range, and the {@code __metadata__} strings. {@link #parse} accepts exactly the structure the
 * format defines (an object of tensor entries, each with the three fields {@code dtype}, {@code shape}
 * and {@code data_offsets}, plus an optional {@code __metadata__} object of strings), so a header it
 * returns describes tensors whose bytes lie in the file, one after the other.
 */
record Header(List<Entry> entries, Map<String, String> metadata) {

    /** Dimensions a tensor may have; real ones have a handful. */
    static final int MAX_RANK = 64;

    static final String METADATA = "__metadata__";

    /** One tensor: its bytes are {@code [begin, end)} of the data, {@code count} elements of {@code dtype}. */
    record Entry(String name, StoredType dtype, int[] shape, int count, long begin, long end) {
    }

    /**
     * Reads {@code text} (the header of {@code file}) and checks it against the {@code dataSize} bytes that
     * follow it: the byte ranges must cover the data exactly, without gaps or overlaps, and each must hold
     * its shape's elements of its dtype. Entries come in the order of their data.
     */
    static Header parse(Path file, String text, long dataSize) throws SafeTensorsException {
        Json json = new Json(text, file + ": header");
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = null;
        json.begin('{');
        while (json.more('}')) {
            String name = json.key();
            if (entries.containsKey(name) || (name.equals(METADATA) && metadata != null)) {
                throw json.errorAtMark("duplicate key \"" + shown(name) + "\"");
            }
            if (name.equals(METADATA)) {
                metadata = metadata(json);
            } else {
                entries.put(name, entry(json, name));
            }
        }
        json.end();
        List<Entry> inOrder = new ArrayList<>(entries.values());
        inOrder.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : inOrder) {
            if (e.begin != expected) {
                throw new SafeTensorsException(file + ": " + where(e.name) + " starts at byte " + e.begin + " of the data, expected "
                        + expected + " (ranges must cover the data without gaps or overlaps)");
            }
            expected = e.end;
        }
        if (expected != dataSize) {
            throw new SafeTensorsException(file + ": the tensors cover " + expected + " bytes but the data holds " + dataSize);
        }
        return new Header(inOrder, metadata == null ? new LinkedHashMap<>() : metadata);
    }

    private static Map<String, String> metadata(Json json) throws SafeTensorsException {
        Map<String, String> out = new LinkedHashMap<>();
        json.begin('{');
        while (json.more('}')) {
            String key = json.key();
            if (out.containsKey(key)) {
                throw json.errorAtMark("duplicate key \"" + shown(key) + "\" in " + METADATA);
            }
            out.put(key, json.string());
        }
        return out;
    }

    private static Entry entry(Json json, String name) throws SafeTensorsException {
        StoredType dtype = null;
        int[] shape = null;
        long[] offsets = null;
        json.begin('{');
        int start = json.mark();
        while (json.more('}')) {
            String field = json.key();
            Object previous = switch (field) {
                case "dtype" -> dtype;
                case "shape" -> shape;
                case "data_offsets" -> offsets;
                default -> throw json.errorAtMark(where(name) + " has an unknown field \"" + shown(field)
                        + "\" (expected dtype, shape, data_offsets)");
            };
            if (previous != null) {
                throw json.errorAtMark(where(name) + " has two \"" + field + "\" fields");
            }
            switch (field) {
                case "dtype" -> dtype = dtype(json, name);
                case "shape" -> shape = shape(json, name);
                default -> offsets = offsets(json, name);
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw json.errorAt(start, where(name) + " needs dtype, shape and data_offsets");
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        long bytes = offsets[1] - offsets[0];
        if (bytes != count * dtype.bytes) {
            throw json.errorAt(start, where(name) + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + count * dtype.bytes + " bytes but data_offsets " + Arrays.toString(offsets) + " give " + bytes);
        }
        return new Entry(name, dtype, shape, (int) count, offsets[0], offsets[1]);
    }

    /** How messages name the tensor {@code name}. */
    static String where(String name) {
        return "tensor " + shown(name);
    }

    private static StoredType dtype(Json json, String name) throws SafeTensorsException {
        String dtypeName = json.string();
        StoredType dtype = StoredType.named(dtypeName);
        if (dtype == null) {
            throw json.errorAtMark(where(name) + " has dtype " + shown(dtypeName) + "; readable: "
                    + Arrays.stream(StoredType.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
        return dtype;
    }

    /**
     * The dimensions, each in {@code [0, 2^31-1]}, at most {@link #MAX_RANK} of them, whose product (with
     * the zeros left out, so that strides fit too) is at most 2^31-1: an array's limit. The dimension at
     * fault is named where it stands.
     */
    private static int[] shape(Json json, String name) throws SafeTensorsException {
        int[] dims = new int[4];
        int rank = 0;
        long product = 1;
        json.begin('[');
        while (json.more(']')) {
            long d = json.wholeNumber();
            if (rank == MAX_RANK) {
                throw json.errorAtMark(where(name) + " has more than " + MAX_RANK + " dimensions");
            }
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw json.errorAtMark(where(name) + " has a dimension of " + d);
            }
            // Both factors are at most 2^31-1, so the product fits a long before it is checked.
            product *= Math.max(d, 1);
            if (product > Integer.MAX_VALUE) {
                throw json.errorAtMark(where(name) + " has dimensions whose product (zeros aside) exceeds 2^31-1");
            }
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, 2 * rank);
            }
            dims[rank++] = (int) d;
        }
        return Arrays.copyOf(dims, rank);
    }

    /** {@code [begin, end]}: two whole numbers with {@code 0 <= begin <= end}. */
    private static long[] offsets(Json json, String name) throws SafeTensorsException {
        long[] out = new long[2];
        json.begin('[');
        int start = json.mark();
        for (int i = 0; i < 2; i++) {
            if (!json.more(']')) {
                throw json.errorAt(start, where(name) + " needs two data_offsets");
            }
            out[i] = json.wholeNumber();
        }
        if (json.more(']')) {
            throw json.errorAt(start, where(name) + " has more than two data_offsets");
        }
        if (out[0] < 0 || out[1] < out[0]) {
            throw json.errorAt(start, where(name) + " has data_offsets " + Arrays.toString(out) + " (need 0 <= begin <= end)");
        }
        return out;
    }

    /** {@code s} as an error message shows it: cut after 60 characters, since a hostile file may hold megabytes. */
    static String shown(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "... (" + s.length() + " characters)";
    }
}
