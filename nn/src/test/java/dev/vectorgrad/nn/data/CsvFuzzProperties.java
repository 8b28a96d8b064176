package dev.vectorgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.nn.reliability.GuardedRead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Untrusted CSV text: tables generated with every kind of number, then garbled (fields replaced by
 * non-numbers, NaN, Infinity, numbers beyond FLOAT32, quotes, other digits; rows made ragged; blank and
 * white lines, CR, CRLF and LF endings, byte order marks, NULs, invalid UTF-8 and binary garbage put
 * in; giant fields; the text truncated anywhere), read with and without a header line, with the label
 * in any column, as classes or real values. A plain reference reader (regular-expression lines,
 * BigDecimal numbers) says what each must give: the same values, or a {@link CsvException} at the same
 * line. Gzipped tables truncated or with flipped bits read as the original or throw CsvException. Every
 * read runs on a watched thread: a deadline, at most {@link #HEAP_PER_BYTE} bytes of heap per byte of
 * text (plus {@link GuardedRead#SLACK}), nothing but CsvException escaping. 4,000 generated inputs.
 */
// jqwik's combined edge cases of these nested generators cost more than the reads; the generators list the extremes.
@PropertyDefaults(edgeCases = EdgeCasesMode.NONE)
class CsvFuzzProperties {

    /** Floats kept, their growth, and transient strings per byte of text. */
    static final long HEAP_PER_BYTE = 16;

    /** How a table is read: a header line or not, the label's column (may count from the end), its classes. */
    record Settings(boolean header, int labelColumn, int classes) {
    }

    /** What the reference reader says: the values (x row after row, y) or the line at fault (0 for the file). */
    record Expected(float[] x, float[] y, int errorLine) {
    }

    // ---- the reference reader -----------------------------------------------------------------------

    /** The reader's documented rules, written plainly. */
    static Expected reference(byte[] bytes, Settings s) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n|\r|\n", -1)));
        if (lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        List<Float> x = new ArrayList<>(), y = new ArrayList<>();
        int columns = -1, label = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            if ((s.header() && i == 0) || line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (columns < 0) {
                columns = fields.length;
                label = s.labelColumn() < 0 ? columns + s.labelColumn() : s.labelColumn();
                if (label < 0 || label >= columns || columns < 2) {
                    return new Expected(null, null, 0);
                }
            } else if (fields.length != columns) {
                return new Expected(null, null, i + 1);
            }
            for (int c = 0; c < columns; c++) {
                String f = fields[c].trim();
                if (!f.chars().allMatch(ch -> ch < 128)) {
                    return new Expected(null, null, i + 1);
                }
                double v;
                try {
                    // BigDecimal has no negative zero; a decimal "-0" is -0.0.
                    v = Math.copySign(new BigDecimal(f).doubleValue(), f.startsWith("-") ? -1 : 1);
                } catch (NumberFormatException e) {
                    return new Expected(null, null, i + 1);
                }
                boolean notAClass = c == label && s.classes() > 0 && !(v >= 0 && v < s.classes() && v == Math.rint(v));
                if (!Float.isFinite((float) v) || notAClass) {
                    return new Expected(null, null, i + 1);
                }
                (c == label ? y : x).add((float) v);
            }
        }
        if (columns < 0) {
            return new Expected(null, null, 0);
        }
        return new Expected(floats(x), floats(y), -1);
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    // ---- generators ---------------------------------------------------------------------------------

    private static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 12).map(String::valueOf),
                Arbitraries.doubles().between(-1e6, 1e6).map(String::valueOf),
                Arbitraries.floats().map(f -> Float.isFinite(f) ? Float.toString(f) : "0"),
                Arbitraries.of("+1", "-0", "1.", ".5", "-.25", "1e3", "2E-3", "1e-50", "3.4028235e38", " 7 ", "\t8", "0.1e+2"));
    }

    /** What may replace a field: not numbers, numbers beyond FLOAT32, commas, quotes, other digits, control characters. */
    private static Arbitrary<String> badFields() {
        return Arbitraries.oneOf(Arbitraries.of("NaN", "Infinity", "-Infinity", "1f", "2d", "0x1p3", "", "abc", "\"1\"", "1e39",
                        "-3.5e38", "1e400", "١٢", "1_000", "1,5", "1..2", "--1", "1e", "e1", ".", "\uFFFD", "\u0000", "1\u00002", "\uFEFF1",
                        "1 2", "0,0,0"),
                Arbitraries.strings().ofMaxLength(6),
                Arbitraries.integers().between(20_000, 50_000).map(n -> "9".repeat(n)),
                Arbitraries.integers().between(20_000, 50_000).map(n -> "0." + "0".repeat(n) + "1"));
    }

    /** A table of 1 to 6 rows of 1 to 5 number fields. */
    private static Arbitrary<List<List<String>>> tables() {
        return Arbitraries.integers().between(1, 5).flatMap(columns -> numbers().list().ofSize(columns).list().ofMinSize(1).ofMaxSize(6));
    }

    /** The table's lines, maybe with one field replaced and one row ragged. */
    private static Arbitrary<List<String>> garbledLines() {
        return Combinators.combine(tables(), badFields(), Arbitraries.integers().between(0, 99), Arbitraries.integers().between(0, 4))
                .as((table, bad, where, how) -> {
                    List<List<String>> rows = new ArrayList<>();
                    table.forEach(r -> rows.add(new ArrayList<>(r)));
                    List<String> row = rows.get(where % rows.size());
                    switch (how) {
                        case 0 -> row.set(where % row.size(), bad);
                        case 1 -> row.add("1");
                        case 2 -> row.removeLast();
                        default -> {
                            // left as generated
                        }
                    }
                    return rows.stream().map(r -> String.join(",", r)).toList();
                });
    }

    /** The lines joined by any line endings, with blank or white lines, a byte order mark, binary garbage put in, or cut. */
    @Provide
    Arbitrary<byte[]> texts() {
        Arbitrary<String> endings = Arbitraries.of("\n", "\r\n", "\r");
        Arbitrary<String> extras = Arbitraries.of("", "", "", "\n", "  \n", "\t\r\n", "\r");
        Arbitrary<byte[]> garbage = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(6),
                Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3, '('}, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                        new byte[] {0}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
        Arbitrary<byte[]> joined = Combinators.combine(garbledLines(), endings.list().ofSize(7), extras.list().ofSize(7),
                Arbitraries.of(true, false), Arbitraries.of("", "", "\uFEFF")).as((lines, ends, extra, lastEnding, bom) -> {
                    StringBuilder b = new StringBuilder(bom);
                    for (int i = 0; i < lines.size(); i++) {
                        b.append(lines.get(i)).append(i < lines.size() - 1 || lastEnding ? ends.get(i) : "").append(extra.get(i));
                    }
                    return b.toString().getBytes(StandardCharsets.UTF_8);
                });
        return Combinators.combine(joined, garbage, Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 5))
                .as((text, junk, at, how) -> switch (how) {
                    case 0 -> insert(text, junk, at % (text.length + 1));
                    case 1 -> Arrays.copyOf(text, at % (text.length + 1));
                    default -> text;
                });
    }

    private static byte[] insert(byte[] text, byte[] junk, int at) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(text, 0, at);
        out.writeBytes(junk);
        out.write(text, at, text.length - at);
        return out.toByteArray();
    }

    @Provide
    Arbitrary<Settings> settings() {
        return Combinators.combine(Arbitraries.of(false, false, true), Arbitraries.of(-1, -1, 0, 1, -2, 4), Arbitraries.of(0, 0, 2, 3, 10))
                .as(Settings::new);
    }

    // ---- properties ---------------------------------------------------------------------------------

    /** Reads {@code bytes} with a budget for {@code textLength} bytes of (decompressed) text. */
    private static GuardedRead.Outcome<TensorDataset> read(byte[] bytes, String source, Settings s, int textLength) {
        return GuardedRead.run(HEAP_PER_BYTE * textLength + GuardedRead.SLACK,
                () -> Csv.read(new ByteArrayInputStream(bytes), source, s.header(), s.labelColumn(), s.classes()));
    }

    private static void assertAsExpected(GuardedRead.Outcome<TensorDataset> o, Expected e) {
        GuardedRead.assertReadOrRejected(o, CsvException.class);
        if (e.errorLine() >= 0) {
            assertTrue(o.thrown() != null, "the reference refuses this text (line " + e.errorLine() + ") but the reader read it");
            assertEquals(e.errorLine(), ((CsvException) o.thrown()).line(), o.thrown().getMessage());
        } else {
            assertTrue(o.thrown() == null, () -> "the reference reads this text but the reader threw " + o.thrown());
            assertArrayEquals(e.x(), o.value().x().toFloatArray());
            assertArrayEquals(e.y(), o.value().y().toFloatArray());
        }
    }

    @Property(tries = 3000)
    void garbledTextsReadAsTheReferenceSays(@ForAll("texts") byte[] text, @ForAll("settings") Settings s) {
        assertAsExpected(read(text, "t.csv", s, text.length), reference(text, s));
    }

    @Property(tries = 300)
    void binaryGarbageReadsAsTheReferenceSays(@ForAll byte[] bytes, @ForAll("settings") Settings s) {
        assertAsExpected(read(bytes, "t.csv", s, bytes.length), reference(bytes, s));
    }

    /**
     * How many bytes of text a damaged gzip stream gives before it ends or fails its check: a flipped
     * bit in the compressed data can make the inflater produce more text than the original held, and the
     * reader is allowed heap for the text it is given.
     */
    private static int inflatedLength(byte[] z) {
        int n = 0;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(z))) {
            byte[] buffer = new byte[8192];
            for (int r; (r = in.read(buffer)) > 0; ) {
                n += r;
            }
        } catch (IOException damaged) {
            // the bytes given before the damage are those counted
        }
        return n;
    }

    /** A gzipped table truncated or with bits flipped: the CRC catches every change to the text, so it reads as it was or not at all. */
    @Property(tries = 700)
    void damagedGzipReadsAsTheOriginalOrIsRefused(@ForAll("texts") byte[] text, @ForAll("settings") Settings s,
                                                 @ForAll @IntRange(min = 0, max = 1 << 20) int at,
                                                 @ForAll @IntRange(min = 0, max = 2) int how) throws IOException {
        byte[] z = CsvTest.gzip(text);
        if (how == 0) {
            z = Arrays.copyOf(z, at % z.length);
        } else {
            z[at % z.length] ^= (byte) (1 << (at % 8));
        }
        if (how == 2) {
            z[(at * 31 + 7) % z.length] ^= (byte) (1 << (at % 5));
        }
        GuardedRead.Outcome<TensorDataset> o = read(z, "t.csv.gz", s, Math.max(text.length, inflatedLength(z)));
        GuardedRead.assertReadOrRejected(o, CsvException.class);
        if (o.thrown() == null) {
            assertAsExpected(o, reference(text, s));
        }
    }
}
