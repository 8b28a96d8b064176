package dev.vectorgrad.nn.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vectorgrad.autodiff.Autograd;
import dev.vectorgrad.autodiff.Scope;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One model in eval mode serves several threads at once: each thread's outputs are those of a
 * single-threaded run, bit for bit, with the engine's pool shared by all of them.
 */
class ConcurrentInferenceTest {

    @AfterEach
    void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void eightThreadsShareOneModelAndGetTheSingleThreadedOutputs() throws Exception {
        Parallel.setThreads(2);
        Generator g = new Generator(5);
        Sequential net = new Sequential(new Linear(64, 256, g), new ReLU(), new Linear(256, 10, g));
        net.eval();
        int requests = 32;
        List<NDArray> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            NDArray x = NDArray.randn(g, DType.FLOAT32, 1 + r % 7 * 20, 64);
            inputs.add(x);
            expected.add(infer(net, x));
        }
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (NDArray x : inputs) {
                    results.add(callers.submit(() -> infer(net, x)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(expected.get(i % requests), results.get(i).get(), "request " + i % requests);
            }
        } finally {
            callers.shutdown();
        }
    }

    private static float[] infer(Sequential net, NDArray x) {
        try (Scope ignored = Autograd.noGrad()) {
            return net.forward(Tensor.of(x)).value().toFloatArray();
        }
    }
}
