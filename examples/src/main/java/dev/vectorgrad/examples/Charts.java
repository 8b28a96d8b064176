package dev.vectorgrad.examples;

import dev.vectorgrad.nn.train.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG charts of the main job and the examples: learning curves, and data against a fitted line. */
final class Charts {

    private Charts() {
    }

    /** Training and validation loss, and the metric, per epoch, side by side. */
    static void learningCurves(History history, String metric, Path png) throws IOException {
        XYChart loss = chart("loss", "epoch", "loss");
        add(loss, "training loss", history.get("loss"));
        add(loss, "validation loss", history.get("val_loss"));
        XYChart score = chart(metric, "epoch", metric);
        add(score, "training " + metric, history.get(metric));
        add(score, "validation " + metric, history.get("val_" + metric));
        BitmapEncoder.saveBitmap(List.of(loss, score), 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Points {@code (x, y)} as dots and a line through {@code (lineX, lineY)}: data against a fitted curve. */
    static void pointsAndLine(String title, String xTitle, String yTitle, double[] x, double[] y, String lineName,
                              double[] lineX, double[] lineY, Path png) throws IOException {
        XYChart c = chart(title, xTitle, yTitle);
        XYSeries points = c.addSeries("data", drawable(x), drawable(y));
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.CIRCLE);
        XYSeries line = c.addSeries(lineName, drawable(lineX), drawable(lineY));
        line.setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * The values with each infinity made NaN, which XChart leaves out of the drawing: it refuses infinities,
     * and a run that diverged has them in its losses and its fitted line.
     */
    private static double[] drawable(double[] values) {
        return Arrays.stream(values).map(v -> Double.isInfinite(v) ? Double.NaN : v).toArray();
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setMarkerSize(4);
        return c;
    }

    private static void add(XYChart chart, String name, List<Double> values) {
        if (!values.isEmpty()) {
            double[] epochs = IntStream.rangeClosed(1, values.size()).asDoubleStream().toArray();
            chart.addSeries(name, epochs, drawable(values.stream().mapToDouble(Double::doubleValue).toArray()));
        }
    }
}
