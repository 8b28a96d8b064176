package dev.vectorgrad.usercode;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.Autograd;
import dev.vectorgrad.autodiff.Scope;
import dev.vectorgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Anomaly mode, seen from a user's package (outside the library, whose frames the report skips): the
 * first NaN or Inf is named with its op and the user's line.
 */
class AnomalyReportTest {

    private static Tensor leaf(double... values) {
        return Tensor.of(values, values.length).requiresGrad(true);
    }

    @Test
    void anomalyModeNamesTheOpAndTheCallSite() {
        Tensor x = leaf(0, 1);
        try (Scope ignored = Autograd.detectAnomaly()) {
            Tensor y = x.sqrt().sum();   // d sqrt / dx at 0 is infinite
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().startsWith("anomaly: the gradient of sqrt for its input 0 holds"), e.getMessage());
            assertTrue(e.getMessage().contains("AnomalyReportTest.java"), "names the user's line: " + e.getMessage());
            Tensor z = leaf(-1);
            IllegalStateException forward = assertThrows(IllegalStateException.class, () -> z.log());
            assertTrue(forward.getMessage().startsWith("anomaly: log produced NaN"), forward.getMessage());
            assertTrue(forward.getMessage().contains("AnomalyReportTest.java"), forward.getMessage());
        }
        Tensor quiet = leaf(-1).log();
        assertTrue(Double.isNaN(quiet.item()), "without anomaly mode a NaN is just a value");
    }
}
