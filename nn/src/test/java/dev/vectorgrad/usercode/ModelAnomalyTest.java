package dev.vectorgrad.usercode;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.Autograd;
import dev.vectorgrad.autodiff.Scope;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.nn.Identity;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Sequential;
import org.junit.jupiter.api.Test;

/**
 * Anomaly mode through a model: the op that overflows runs inside {@code Linear} (inside a Sequential),
 * and the report names the line of this file that called the model, not a line of the library. This
 * class sits outside {@code dev.vectorgrad} so that its frames are the user's.
 */
class ModelAnomalyTest {

    /** {@code Sequential(Identity, Linear(1, 2))} in FLOAT32 with every weight {@code w} and zero biases. */
    private static Sequential model(double w) {
        Linear fc = new Linear(1, 2, new Generator(0));
        fc.weight().value().fill(w);
        fc.bias().value().fill(0);
        return new Sequential(new Identity(), fc);
    }

    private static void assertAtThisFile(String message) {
        assertTrue(message.contains("(ModelAnomalyTest.java:"), "names the user's line: " + message);
        assertTrue(!message.contains("Linear.java") && !message.contains("Sequential.java"), "not the library's: " + message);
    }

    @Test
    void anOverflowInsideALayerIsReportedAtTheUsersCall() {
        Sequential m = model(1e30);
        try (Scope ignored = Autograd.detectAnomaly()) {
            // 1e30 * 1e30 overflows FLOAT32 from finite inputs.
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forward(Tensor.of(new float[] {1e30f}, 1, 1)));
            assertTrue(e.getMessage().startsWith("anomaly: ") && e.getMessage().contains(" produced Inf "), e.getMessage());
            assertAtThisFile(e.getMessage());
        }
    }

    @Test
    void anInfiniteGradientInsideALayerIsReportedAtTheUsersCall() {
        Sequential m = model(3e38);
        Tensor x = Tensor.of(new float[] {1e-10f}, 1, 1).requiresGrad(true);
        try (Scope ignored = Autograd.detectAnomaly()) {
            // The forward values stay near 3e28; the input's gradient is 3e38 + 3e38, beyond FLOAT32.
            Tensor loss = m.forward(x).sum();
            IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
            assertTrue(e.getMessage().startsWith("anomaly: the gradient of ") && e.getMessage().contains(" holds Inf"), e.getMessage());
            assertTrue(e.getMessage().contains("created at dev.vectorgrad.usercode.ModelAnomalyTest."), e.getMessage());
            assertAtThisFile(e.getMessage());
        }
    }
}
