package dev.vectorgrad.examples;

import dev.vectorgrad.nn.train.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Learning curves as a PNG: training and validation loss, and the metric, per epoch. */
final class Charts {

    private Charts() {
    }

    static void learningCurves(History history, String metric, Path png) throws IOException {
        XYChart loss = chart("loss", "epoch", "loss");
        add(loss, "training loss", history.get("loss"));
        add(loss, "validation loss", history.get("val_loss"));
        XYChart score = chart(metric, "epoch", metric);
        add(score, "training " + metric, history.get(metric));
        add(score, "validation " + metric, history.get("val_" + metric));
        BitmapEncoder.saveBitmap(List.of(loss, score), 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setMarkerSize(4);
        return c;
    }

    private static void add(XYChart chart, String name, List<Double> values) {
        if (!values.isEmpty()) {
            double[] epochs = IntStream.rangeClosed(1, values.size()).asDoubleStream().toArray();
            chart.addSeries(name, epochs, values.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }
}
