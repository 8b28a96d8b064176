package dev.vectorgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The gradients of slices, indexSelect and gather are added into one array per input when no graph is
 * recorded: the same values as the rules give through a recorded graph, and an unrolled loop over many
 * slices of one tensor allocates about one input's worth for its gradient, not one per slice.
 */
class ScatteredGradientTest {

    /** Every row of x used through select, some rows again through indexSelect and gather, a view in a view. */
    private static Tensor loss(Tensor x, Tensor w) {
        Tensor sum = Tensor.scalar(0, x.dtype());
        for (int t = 0; t < x.size(0); t++) {
            sum = sum.add(x.select(0, t).mul(w.select(0, t)).tanh().sum());
        }
        Tensor picked = x.indexSelect(0, Tensor.of(new double[] {0, 2, 2}, 3));
        Tensor gathered = x.gather(1, Tensor.of(NDArray.zeros(DType.FLOAT64, x.size(0), 2)));
        Tensor stepped = x.slice(1, 0, x.size(1), 2).slice(0, 1, x.size(0));
        return sum.add(picked.pow(2).sum()).add(gathered.exp().sum()).add(stepped.sin().sum());
    }

    @Test
    void scatteredGradientsEqualTheRecordedRules() {
        Generator g = new Generator(4);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 6, 5).requiresGrad(true);
        Tensor w = Tensor.randn(g, DType.FLOAT64, 6, 5);
        loss(x, w).backward();
        Tensor[] recorded = Autograd.grad(loss(x, w), new Tensor[] {x}, true);
        assertArrayEquals(recorded[0].value().toDoubleArray(), x.grad().value().toDoubleArray(), 1e-12);
        GradCheck.check(in -> loss(in[0], w), x);
    }

    @Test
    void manySlicesOfOneTensorAllocateAboutOneGradient() {
        int steps = 200;
        Tensor x = Tensor.randn(new Generator(5), DType.FLOAT32, steps, 1000).requiresGrad(true);
        Tensor sum = Tensor.scalar(0, DType.FLOAT32);
        for (int t = 0; t < steps; t++) {
            sum = sum.add(x.select(0, t).sum());
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        sum.backward();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long inputBytes = 4L * steps * 1000;
        // A few slice-sized arrays a step and the input-sized sum; the rules alone would allocate 200 input-sized
        // zero arrays and as many sums (over 300 MB).
        assertTrue(allocated < 10 * inputBytes, "backward allocated " + allocated + " bytes for an input of " + inputBytes);
        assertArrayEquals(NDArray.ones(DType.FLOAT32, steps, 1000).toFloatArray(), x.grad().value().toFloatArray());
    }
}
