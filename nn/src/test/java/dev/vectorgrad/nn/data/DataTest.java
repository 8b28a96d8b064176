package dev.vectorgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataTest {

    private static TensorDataset csv(String text, boolean header, int label) throws IOException {
        return Csv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv", header, label);
    }

    @Test
    void csvSplitsFeaturesFromTheLabelColumn() throws IOException {
        TensorDataset d = csv("a,b,c\n1,2,0\n3,4,1\n", true, -1);
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.x().toFloatArray());
        assertArrayEquals(new float[] {0, 1}, d.y().toFloatArray());
        TensorDataset first = csv("5,1,2\n6,3,4\n", false, 0);
        assertArrayEquals(new float[] {5, 6}, first.y().toFloatArray());
    }

    @Test
    void badCsvNamesTheLine() {
        assertEquals("t.csv:3: 2 fields, expected 3",
                assertThrows(IOException.class, () -> csv("1,2,0\n3,4,1\n5,6\n", false, -1)).getMessage());
        assertEquals("t.csv:2: field 2 is not a number: \"x\"",
                assertThrows(IOException.class, () -> csv("1,2,0\n3,x,1\n", false, -1)).getMessage());
        assertEquals("csv: no such file /no/such.csv",
                assertThrows(IOException.class, () -> Csv.read(Path.of("/no/such.csv"), false, -1)).getMessage());
        assertEquals("t.csv: label 3.0 of sample 1 is not a class in 0..2", assertThrows(IOException.class,
                () -> Csv.checkLabels(NDArray.of(new float[] {0, 3}, 2), 3, "t.csv")).getMessage());
    }

    @Test
    void loaderVisitsEverySampleOncePerPassInASeededOrder() {
        TensorDataset d = new TensorDataset(NDArray.arange(10).reshape(10, 1), NDArray.arange(10));
        List<Float> seen = new ArrayList<>();
        DataLoader loader = new DataLoader(d, 3, true, false, new Generator(5));
        assertEquals(4, loader.batches());
        for (Batch b : loader) {
            for (float v : b.y().toFloatArray()) {
                seen.add(v);
            }
        }
        assertEquals(10, seen.size());
        assertEquals(45, seen.stream().mapToDouble(Float::doubleValue).sum());
        List<Float> again = new ArrayList<>();
        new DataLoader(d, 3, true, false, new Generator(5)).forEach(b -> {
            for (float v : b.y().toFloatArray()) {
                again.add(v);
            }
        });
        assertEquals(seen, again);
        assertEquals(3, new DataLoader(d, 3, false, true, null).batches());
    }

    @Test
    void splitsAndStandardizer() {
        TensorDataset d = new TensorDataset(NDArray.arange(20).reshape(10, 2), NDArray.arange(10));
        TensorDataset[] parts = Splits.split(d, new double[] {0.6, 0.2, 0.2}, new Generator(1));
        assertEquals(6, parts[0].size());
        assertEquals(2, parts[2].size());
        Splits.Standardizer s = Splits.Standardizer.fit(parts[0].x());
        NDArray z = s.transform(parts[0].x());
        assertEquals(0, z.mean(0).abs().max().item(), 1e-6);
        assertEquals(1, z.std(new int[] {0}, false, 0).min().item(), 1e-6);
    }
}
