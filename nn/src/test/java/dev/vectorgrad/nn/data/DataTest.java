package dev.vectorgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {

    @TempDir
    Path dir;

    private static TensorDataset csv(String text, boolean header, int label, int classes) throws IOException {
        return Csv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv", header, label, classes);
    }

    private static String csvError(String text, boolean header, int label, int classes) {
        return assertThrows(CsvException.class, () -> csv(text, header, label, classes)).getMessage();
    }

    @Test
    void csvSplitsFeaturesFromTheLabelColumn() throws IOException {
        TensorDataset d = csv("a,b,c\n1,2,0\n3,4,1\n", true, -1, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.x().toFloatArray());
        assertArrayEquals(new float[] {0, 1}, d.y().toFloatArray());
        TensorDataset first = csv("\uFEFF5,1,2\r\n\n6,3,4\r\n", false, 0, 0);
        assertArrayEquals(new float[] {5, 6}, first.y().toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, first.x().toFloatArray());
        TensorDataset middle = csv("1, 2.5 ,3\n4,-0.5,6\n", false, 1, 0);
        assertArrayEquals(new float[] {2.5f, -0.5f}, middle.y().toFloatArray());
        assertArrayEquals(new float[] {1, 3, 4, 6}, middle.x().toFloatArray());
    }

    @Test
    void csvFromFilesPlainAndGzipped() throws IOException {
        Path plain = dir.resolve("rows.csv");
        Files.writeString(plain, "1,2\n3,4\n");
        assertArrayEquals(new float[] {1, 2, 3, 4}, Csv.readFeatures(plain, false).toFloatArray());
        assertArrayEquals(new int[] {1, 2}, Csv.readFeatures(dir.resolve("rows.csv"), true).shape());
        Path gz = dir.resolve("rows.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("1,2,1\n3,4,0\n".getBytes(StandardCharsets.UTF_8));
        }
        assertArrayEquals(new float[] {1, 0}, Csv.read(gz, false, -1, 2).y().toFloatArray());
    }

    @Test
    void badCsvNamesTheFileAndTheLine() throws IOException {
        assertEquals("t.csv:4: 2 fields, expected 3", csvError("1,2,0\n3,4,1\n\n5,6\n", false, -1, 0));
        assertEquals("t.csv:2: field 2 is not a number: \"x\"", csvError("1,2,0\n3,x,1\n", false, -1, 0));
        assertEquals("t.csv:1: field 1 is not a number: \"a\"", csvError("a,b\n1,2\n", false, -1, 0));
        assertEquals("t.csv:1: field 3 is not a number: \"\"", csvError("1,2,\n", false, -1, 0));
        assertEquals("t.csv:2: field 1 is not a number: \"NaN\"", csvError("1,2\nNaN,1\n", false, -1, 0));
        assertEquals("t.csv: empty file", csvError("", false, -1, 0));
        assertEquals("t.csv: no data rows", csvError("a,b\n\n", true, -1, 0));
        assertEquals("t.csv:3: label 3 is not a class in 0..2", csvError("h\n1,0\n2,3\n", true, -1, 3));
        assertEquals("t.csv:1: label -1 is not a class in 0..2", csvError("1,-1\n", false, -1, 3));
        assertEquals("t.csv:2: label 0.5 is not a class in 0..1", csvError("1,1\n2,0.5\n", false, -1, 2));
        assertEquals("t.csv: label column 3 does not exist in 3 columns", csvError("1,2,0\n", false, 3, 0));
        assertEquals("t.csv: label column -4 does not exist in 3 columns", csvError("1,2,0\n", false, -4, 0));
        assertEquals("t.csv: rows have 1 column: no features besides the label", csvError("1\n2\n", false, -1, 0));

        CsvException missing = assertThrows(CsvException.class, () -> Csv.read(dir.resolve("no.csv"), false, -1));
        assertEquals(dir.resolve("no.csv") + ": no such file", missing.getMessage());
        assertEquals(0, missing.line());
        assertEquals(dir + ": is a directory, not a CSV file",
                assertThrows(CsvException.class, () -> Csv.readFeatures(dir, false)).getMessage());
        Path fake = dir.resolve("fake.csv.gz");
        Files.writeString(fake, "1,2\n");
        assertEquals(fake + ": not a gzip file (its name ends in .gz)",
                assertThrows(CsvException.class, () -> Csv.read(fake, false, -1)).getMessage());
        CsvException ragged = assertThrows(CsvException.class, () -> csv("1,2\n3\n", false, -1, 0));
        assertEquals(2, ragged.line());
        assertEquals("t.csv", ragged.source());
    }

    private static List<Float> labelsInOrder(DataLoader loader) {
        List<Float> seen = new ArrayList<>();
        for (Batch b : loader) {
            for (float v : b.y().toFloatArray()) {
                seen.add(v);
            }
        }
        return seen;
    }

    @Test
    void loaderVisitsEverySampleOncePerPassInASeededOrder() {
        TensorDataset d = new TensorDataset(NDArray.arange(10).reshape(10, 1), NDArray.arange(10));
        DataLoader loader = new DataLoader(d, 3, true, false, new Generator(5));
        assertEquals(4, loader.batches());
        List<Float> seen = labelsInOrder(loader);
        assertEquals(10, seen.size());
        assertEquals(45, seen.stream().mapToDouble(Float::doubleValue).sum());
        assertNotEquals(labelsInOrder(new DataLoader(d, 3, false, false, null)), seen, "shuffled");
        assertEquals(seen, labelsInOrder(new DataLoader(d, 3, true, false, new Generator(5))));
        assertNotEquals(seen, labelsInOrder(loader), "the next pass reshuffles");
        DataLoader dropping = new DataLoader(d, 3, false, true, null);
        assertEquals(3, dropping.batches());
        assertEquals(List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f), labelsInOrder(dropping));
        assertEquals("DataLoader: batch size must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> new DataLoader(d, 0, false, false, null)).getMessage());
        assertEquals("DataLoader: shuffling needs a generator",
                assertThrows(IllegalArgumentException.class, () -> new DataLoader(d, 2, true, false, null)).getMessage());
    }

    @Test
    void prefetchingGivesTheSameBatchesInTheSameOrder() {
        Generator data = new Generator(3);
        TensorDataset d = new TensorDataset(NDArray.randn(data, 103, 4), NDArray.arange(103));
        DataLoader plain = new DataLoader(d, 8, true, false, new Generator(11));
        DataLoader ahead = new DataLoader(d, 8, true, false, new Generator(11)).prefetch(true);
        for (int pass = 0; pass < 3; pass++) {
            List<Batch> a = new ArrayList<>();
            plain.forEach(a::add);
            List<Batch> b = new ArrayList<>();
            ahead.forEach(b::add);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).x().toFloatArray(), b.get(i).x().toFloatArray());
                assertArrayEquals(a.get(i).y().toFloatArray(), b.get(i).y().toFloatArray());
            }
        }
    }

    @Test
    void aFailureWhilePrefetchingIsThrownToTheCaller() {
        Dataset failing = new Dataset() {
            @Override
            public int size() {
                return 4;
            }

            @Override
            public Batch batch(int[] indices) {
                if (indices[0] >= 2) {
                    throw new IllegalStateException("sample " + indices[0] + " is unreadable");
                }
                return new Batch(NDArray.zeros(indices.length, 1), NDArray.zeros(indices.length));
            }
        };
        var it = new DataLoader(failing, 2, false, false, null).prefetch(true).iterator();
        it.next();
        assertEquals("sample 2 is unreadable", assertThrows(IllegalStateException.class, it::next).getMessage());
    }

    @Test
    void rangeIsAViewOfConsecutiveSamples() {
        TensorDataset d = new TensorDataset(NDArray.arange(12).reshape(6, 2), NDArray.arange(6));
        Dataset generic = new Dataset() {
            @Override
            public int size() {
                return d.size();
            }

            @Override
            public Batch batch(int[] indices) {
                return d.batch(indices);
            }
        };
        Dataset tail = generic.range(4, 6);
        assertEquals(2, tail.size());
        assertArrayEquals(new float[] {5, 4}, tail.batch(new int[] {1, 0}).y().toFloatArray());
        assertArrayEquals(new float[] {4, 5, 2, 3}, d.range(1, 3).batch(new int[] {1, 0}).x().toFloatArray());
        assertEquals("Dataset.range: samples 4..7 are not within 0..6",
                assertThrows(IllegalArgumentException.class, () -> generic.range(4, 7)).getMessage());
        assertEquals("Dataset.range: samples 3..2 are not within 0..6",
                assertThrows(IllegalArgumentException.class, () -> d.range(3, 2)).getMessage());
    }

    @Test
    void splitsAreSeededDisjointAndCoverEverySample() {
        TensorDataset d = new TensorDataset(NDArray.arange(20).reshape(10, 2), NDArray.arange(10));
        TensorDataset[] parts = Splits.split(d, new double[] {0.6, 0.2, 0.2}, new Generator(1));
        assertArrayEquals(new int[] {6, 2, 2}, java.util.Arrays.stream(parts).mapToInt(TensorDataset::size).toArray());
        float[] labels = NDArray.cat(0, parts[0].y(), parts[1].y(), parts[2].y()).toFloatArray();
        float[] sorted = labels.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(NDArray.arange(10).toFloatArray(), sorted);
        assertArrayEquals(labels, NDArray.cat(0, Splits.split(d, new double[] {0.6, 0.2, 0.2}, new Generator(1))[0].y(),
                parts[1].y(), parts[2].y()).toFloatArray());
        for (int i = 0; i < parts[0].size(); i++) {
            assertEquals(2 * parts[0].y().get(i), parts[0].x().get(i, 0), "row and label move together");
        }
        assertEquals("Splits.split: fractions [0.6, 0.3] must add up to 1", assertThrows(IllegalArgumentException.class,
                () -> Splits.split(d, new double[] {0.6, 0.3}, new Generator(1))).getMessage());
    }

    @Test
    void standardizerUsesTheTrainingStatisticsOnly() {
        NDArray train = NDArray.of(new float[] {1, 5, 3, 5, 5, 5}, 3, 2);
        Standardizer s = Standardizer.fit(train);
        // column 0: mean 3, population std sqrt(8/3); column 1 is constant: std kept at 1.
        assertArrayEquals(new float[] {3, 5}, s.mean().toFloatArray());
        assertArrayEquals(new float[] {(float) Math.sqrt(8.0 / 3), 1}, s.std().toFloatArray(), 1e-6f);
        NDArray test = NDArray.of(new float[] {7, 6}, 1, 2);
        assertArrayEquals(new float[] {(float) (4 / Math.sqrt(8.0 / 3)), 1}, s.transform(test).toFloatArray(), 1e-6f);
        assertEquals(List.of("mean", "std"), List.copyOf(s.state().keySet()));
        TensorDataset scaled = new TensorDataset(test, NDArray.of(new float[] {1}, 1)).scaled(s);
        assertArrayEquals(s.transform(test).toFloatArray(), scaled.x().toFloatArray());
    }

    @Test
    void minMaxScalerMapsTheTrainingRangeOntoZeroToOne() {
        NDArray train = NDArray.of(new float[] {2, 7, 4, 7, 6, 7}, 3, 2);
        MinMaxScaler s = MinMaxScaler.fit(train);
        assertArrayEquals(new float[] {0, 0, 0.5f, 0, 1, 0}, s.transform(train).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-0.25f, 1}, s.transform(NDArray.of(new float[] {1, 8}, 1, 2)).toFloatArray(), 1e-6f);
        assertSame(s.min(), s.state().get("min"));
        assertSame(s.max(), s.state().get("max"));
    }
}
