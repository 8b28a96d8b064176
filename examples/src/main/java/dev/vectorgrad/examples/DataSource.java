package dev.vectorgrad.examples;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.data.Csv;
import dev.vectorgrad.nn.data.TensorDataset;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * A data set bundled in the examples' resources ({@code --dataset NAME}; see {@code data/SOURCE.md}):
 * its file, whether it starts with a header line, which column is the label, how many classes (0: a real
 * value), optionally which of the remaining columns are the features, and the titles of a one-feature
 * regression's plot axes.
 */
record DataSource(String name, String summary, String resource, boolean header, int labelColumn, int classes, int[] features,
                  String featureTitle, String targetTitle) {

    static final Map<String, DataSource> ALL = Registry.byName(DataSource::name,
            new DataSource("digits", "8x8 handwritten digits, 64 pixels, 10 classes", "digits.csv.gz", false, -1, 10, null, null, null),
            new DataSource("iris", "iris flowers, 4 measurements, 3 species", "iris.csv", true, -1, 3, null, null, null),
            new DataSource("wine", "wines, 13 chemical measurements, 3 cultivars", "wine_data.csv", true, -1, 3, null, null, null),
            new DataSource("breast_cancer", "breast masses, 30 measurements, malignant (0) or benign (1)",
                    "breast_cancer.csv", true, -1, 2, null, null, null),
            // iris.csv's columns: sepal length, sepal width, petal length, petal width, species. With the
            // petal width as the target, the features left are columns 0..2 and the species: keep the petal length.
            new DataSource("iris-petals", "iris petal width (cm) from petal length (cm), 150 flowers",
                    "iris.csv", true, 3, 0, new int[] {2}, "petal length (cm)", "petal width (cm)"));

    TensorDataset load() throws IOException {
        try (InputStream in = DataSource.class.getResourceAsStream("/data/" + resource)) {
            if (in == null) {
                throw new IOException("the bundled data set " + resource + " is missing from the classpath");
            }
            TensorDataset d = Csv.read(in, resource, header, labelColumn, classes);
            if (features == null) {
                return d;
            }
            double[] columns = Arrays.stream(features).asDoubleStream().toArray();
            return new TensorDataset(d.x().indexSelect(1, NDArray.of(columns, columns.length)), d.y());
        }
    }
}
