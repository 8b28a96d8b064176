package dev.vectorgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.train.History;
import dev.vectorgrad.nn.train.Model;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each runnable example learns what it claims, within the stated bounds. */
class ExamplesTest {

    @TempDir
    Path dir;

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** Learning curves: loss and metric side by side, each chart 640 by 420. */
    static final int[] CURVES = {1280, 420};
    /** Data against a fitted line: one chart. */
    static final int[] FIT = {640, 420};

    /** A PNG that decodes to an image of {@code size} (width, height) holding a drawing, not one flat colour. */
    static void assertPng(Path png, int[] size) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not an image ImageIO reads");
        assertArrayEquals(size, new int[] {image.getWidth(), image.getHeight()}, png.toString());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() >= 4, png + " has " + colours.size() + " colours");
    }

    @Test
    void noisyLineFindsSlopeThree() throws IOException {
        LineFit.Result r = NoisyLineExample.run(dir, QUIET);
        // Noise of sd 0.33 over 101 points on [-1, 1]: the least-squares slope's standard error is 0.057.
        assertEquals(3, r.slope(), 0.15);
        assertEquals(0, r.intercept(), 0.1);
        assertTrue(r.history().get("loss").getLast() < 0.33 * 0.33 * 1.2, "loss near the noise variance: " + r.history().get("loss"));
        assertPng(r.plot(), FIT);
    }

    @Test
    void exactLineFindsTwoXPlusThree() throws IOException {
        LineFit.Result r = ExactLineExample.run(dir, QUIET);
        assertEquals(2, r.slope(), 1e-3);
        assertEquals(3, r.intercept(), 1e-3);
        assertPng(r.plot(), FIT);
    }

    @Test
    void binaryClassifierReachesItsGoalEarly() throws IOException {
        History h = BinaryClassifierExample.run(dir, QUIET);
        assertTrue(h.epochs() < 150, "stopped by GoalReached after " + h.epochs() + " epochs");
        assertTrue(h.get("val_accuracy").getLast() >= 0.9, h.get("val_accuracy").toString());
        assertTrue(h.get("loss").getLast() < 0.3, h.get("loss").toString());
        assertPng(dir.resolve("learning-curves.png"), CURVES);
    }

    @Test
    void binaryDataFollowTheStatedRule() {
        var d = BinaryClassifierExample.data(new dev.vectorgrad.engine.Generator(1));
        float[] x = d.x().toFloatArray();
        float[] y = d.y().toFloatArray();
        for (int i = 0; i < y.length; i++) {
            double score = x[8 * i] + x[8 * i + 1] - x[8 * i + 2] + x[8 * i + 3] * x[8 * i + 4];
            assertEquals(score > 0 ? 1 : 0, y[i], "row " + i);
        }
    }

    @Test
    void denseSoftmaxClassifiesUpsampledDigits() throws IOException {
        DenseSoftmaxExample.Result r = DenseSoftmaxExample.run(dir, QUIET);
        assertTrue(r.test().get("accuracy") >= 0.88, r.test().toString());
        assertTrue(r.history().get("loss").getLast() < 0.3, r.history().get("loss").toString());
        assertPng(dir.resolve("learning-curves.png"), CURVES);
    }

    @Test
    void upsamplingMatchesBilinearInterpolation() {
        NDArray up = DenseSoftmaxExample.upsample(NDArray.arange(64).reshape(1, 64), 8, 28).reshape(28, 28);
        // torch.nn.functional.interpolate(torch.arange(64.).reshape(1, 1, 8, 8), size=(28, 28),
        //     mode='bilinear', align_corners=False): row 0 columns 0..5, row 13 columns 10..13, and the sum.
        assertArrayEquals(new float[] {0f, 0f, 0.21428575f, 0.50000006f, 0.78571433f, 1.0714287f},
                up.select(0, 0).slice(0, 0, 6).contiguous().toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {29.357145f, 29.642859f, 29.928572f, 30.214289f},
                up.select(0, 13).slice(0, 10, 14).contiguous().toFloatArray(), 1e-4f);
        assertEquals(24696.0, up.sum().item(), 0.05);
    }

    @Test
    void goalReachedStopsAtTheFirstEpochAtTheGoal() {
        Model model = new Model(new Linear(1, 1, new dev.vectorgrad.engine.Generator(0)));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        GoalReached accuracy = new GoalReached("val_accuracy", 0.9, new PrintStream(said, true));
        accuracy.onEpochEnd(model, 1, Map.of("val_accuracy", 0.89));
        assertEquals(0, accuracy.epoch());
        accuracy.onEpochEnd(model, 2, Map.of("val_accuracy", 0.9));
        assertEquals(2, accuracy.epoch());
        assertEquals("epoch 2: val_accuracy 0.9000 reached the goal 0.9; stopping\n", said.toString());
        GoalReached loss = new GoalReached("loss", 0.1, QUIET);
        loss.onEpochEnd(model, 1, Map.of("loss", 0.2));
        loss.onEpochEnd(model, 2, Map.of("loss", 0.05));
        assertEquals(2, loss.epoch(), "a loss reaches its goal from above");
        assertEquals("GoalReached: the logs have no 'val_loss'; they have [loss]", assertThrows(IllegalStateException.class,
                () -> new GoalReached("val_loss", 1, QUIET).onEpochEnd(model, 1, Map.of("loss", 1.0))).getMessage());
    }
}
