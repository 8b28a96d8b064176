package dev.vectorgrad.nn.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vectorgrad.autodiff.Autograd;
import dev.vectorgrad.autodiff.Scope;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Parallel;
import dev.vectorgrad.nn.BatchNorm2d;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Embedding;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.LSTM;
import dev.vectorgrad.nn.LayerNorm;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.MultiheadAttention;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One model in eval mode serves several threads at once: each thread's outputs are those of a
 * single-threaded run, bit for bit, with the engine's pool shared by all of them (the GEMM and the
 * convolution split their work across it from inside each caller's forward pass).
 */
class ConcurrentInferenceTest {

    @AfterEach
    void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void eightThreadsShareOneModelAndGetTheSingleThreadedOutputs() throws Exception {
        Generator g = new Generator(5);
        Sequential net = new Sequential(new Linear(64, 256, g), new ReLU(), new Linear(256, 10, g));
        assertSharedInference(net, r -> NDArray.randn(g, DType.FLOAT32, 1 + r % 7 * 20, 64));
    }

    @Test
    void aConvolutionalModelIsSharedLikewise() throws Exception {
        Generator g = new Generator(6);
        BatchNorm2d bn = new BatchNorm2d(8);
        Sequential net = new Sequential(new Conv2d(3, 8, 3, 1, 1, g), bn, new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(8 * 8 * 8, 10, g));
        for (int i = 0; i < 3; i++) {
            net.forward(Tensor.randn(g, DType.FLOAT32, 4, 3, 16, 16));
        }
        assertSharedInference(net, r -> NDArray.randn(g, DType.FLOAT32, 1 + r % 5 * 4, 3, 16, 16));
    }

    @Test
    void aRecurrentModelWithAttentionIsSharedLikewise() throws Exception {
        Generator g = new Generator(7);
        Sequential net = new Sequential(new Embedding(20, 16, g), new LSTM(16, 24, 2, true, true, g),
                new MultiheadAttention(24, 4, true, true, g), new LayerNorm(24), new Linear(24, 5, g));
        assertSharedInference(net, r -> tokens(g, 20, 1 + r % 4, 3 + r % 6));
    }

    /** {@code [batch, length]} token indices below {@code vocabulary}. */
    private static NDArray tokens(Generator g, int vocabulary, int batch, int length) {
        float[] t = new float[batch * length];
        for (int i = 0; i < t.length; i++) {
            t[i] = g.nextInt(vocabulary);
        }
        return NDArray.of(t, batch, length);
    }

    /** 32 requests made by {@code input}, each sent 4 times from 8 threads to {@code net} (in eval mode), 2 pool threads. */
    private static void assertSharedInference(Sequential net, IntFunction<NDArray> input) throws Exception {
        Parallel.setThreads(2);
        net.eval();
        int requests = 32;
        List<NDArray> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            NDArray x = input.apply(r);
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
