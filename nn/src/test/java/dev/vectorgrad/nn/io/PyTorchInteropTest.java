package dev.vectorgrad.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.nn.BatchNorm1d;
import dev.vectorgrad.nn.Embedding;
import dev.vectorgrad.nn.GRU;
import dev.vectorgrad.nn.LSTM;
import dev.vectorgrad.nn.LayerNorm;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.MultiheadAttention;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Safetensors files both ways between PyTorch and Vectorgrad. PyTorch's side is fixed in committed
 * fixtures ({@code src/test/resources/interop/}, written once by {@code make_fixtures.py} with PyTorch
 * 1.13; see the README there): two models' state dicts with their outputs for a fixed input, and a tensor
 * of each stored type. Our side is written to {@code target/interop/} by {@link #ourFilesReadBackBitForBit},
 * where {@code check_vectorgrad_files.py} (run by hand, never by the build) loads them into the same
 * PyTorch architectures and compares the outputs.
 */
class PyTorchInteropTest {

    /** The largest difference allowed between PyTorch's FLOAT32 outputs and ours for the same weights. */
    private static final double TOLERANCE = 1e-5;

    /** PyTorch's {@code Sequential(Linear(4, 8), ReLU(), BatchNorm1d(8), Linear(8, 3))}. */
    static Sequential mlp(Generator g) {
        return new Sequential(new Linear(4, 8, g), new ReLU(), new BatchNorm1d(8), new Linear(8, 3, g));
    }

    /** make_fixtures.py's {@code Recurrent}: its layers under Sequential's names, run one after the other. */
    static Sequential recurrent(Generator g) {
        return new Sequential(new Embedding(12, 8, g), new LSTM(8, 16, 2, true, true, g), new MultiheadAttention(16, 4, true, true, g),
                new LayerNorm(16), new GRU(16, 6, 1, true, true, g), new Linear(6, 3, g));
    }

    private static final Map<String, Function<Generator, Sequential>> ARCHITECTURES = Map.of("mlp_batchnorm", PyTorchInteropTest::mlp,
            "recurrent", PyTorchInteropTest::recurrent);

    static SafeTensors.Contents fixture(String name) throws IOException {
        try {
            return SafeTensors.read(Path.of(PyTorchInteropTest.class.getResource("/interop/" + name + ".safetensors").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= TOLERANCE, what + ": element " + i + " is " + a[i] + ", PyTorch's " + e[i]);
        }
    }

    @Test
    void pyTorchsMlpWithBatchNormLoadsAndGivesItsOutputs() throws IOException {
        SafeTensors.Contents state = fixture("mlp_batchnorm");
        NDArray count = state.tensors().get("2.num_batches_tracked");
        assertEquals(DType.FLOAT64, count.dtype(), "int64 num_batches_tracked read as FLOAT64");
        assertEquals(3, count.item());
        Sequential model = mlp(new Generator(0));
        model.loadStateDict(state.tensors(), true);
        model.eval();
        Map<String, NDArray> io = fixture("mlp_batchnorm_io").tensors();
        assertClose(io.get("output"), model.forward(Tensor.of(io.get("input"))).value(), "mlp output");
        assertEquals(3, model.stateDict().get("2.num_batches_tracked").item());
    }

    @Test
    void pyTorchsRecurrentModelLoadsAndGivesItsOutputs() throws IOException {
        Sequential model = recurrent(new Generator(0));
        model.loadStateDict(fixture("recurrent").tensors(), true);
        model.eval();
        Map<String, NDArray> io = fixture("recurrent_io").tensors();
        assertEquals(DType.FLOAT64, io.get("input").dtype(), "int64 token indices read as FLOAT64");
        assertClose(io.get("output"), model.forward(Tensor.of(io.get("input"))).value(), "recurrent output");
    }

    /** The values make_fixtures.py gives each tensor of dtypes.safetensors, and the dtype each is documented to become. */
    @Test
    void pyTorchsStoredTypesReadAsTheirValues() throws IOException {
        Map<String, NDArray> t = fixture("dtypes").tensors();
        Map<String, Object[]> expected = new LinkedHashMap<>();
        expected.put("f64", new Object[] {DType.FLOAT64, new int[] {4}, new double[] {Math.PI, -0.0, 1e308, Double.MIN_VALUE}});
        expected.put("f32", new Object[] {DType.FLOAT32, new int[] {3}, new double[] {0.1f, -Float.MAX_VALUE, Float.MIN_VALUE}});
        expected.put("f16", new Object[] {DType.FLOAT32, new int[] {4}, new double[] {1, -2.5, 65504, 0x1p-24}});
        expected.put("bf16", new Object[] {DType.FLOAT32, new int[] {3}, new double[] {1, 3.140625, -0x1p127}});
        expected.put("i64", new Object[] {DType.FLOAT64, new int[] {4}, new double[] {-0x1p53, 0x1p53, -1, 0}});
        expected.put("i32", new Object[] {DType.FLOAT64, new int[] {2, 3},
                IntStream.range(0, 6).mapToDouble(i -> i * 1000 - 0x1p31 + 1).toArray()});
        expected.put("i16", new Object[] {DType.FLOAT32, new int[] {2}, new double[] {-32768, 32767}});
        expected.put("i8", new Object[] {DType.FLOAT32, new int[] {3}, new double[] {-128, 127, 0}});
        expected.put("u8", new Object[] {DType.FLOAT32, new int[] {256}, IntStream.range(0, 256).asDoubleStream().toArray()});
        expected.put("bool", new Object[] {DType.FLOAT32, new int[] {2, 2}, new double[] {0, 1, 1, 0}});
        expected.put("scalar", new Object[] {DType.FLOAT64, new int[] {}, new double[] {7}});
        assertEquals(expected.keySet(), t.keySet());
        expected.forEach((name, e) -> {
            assertEquals(e[0], t.get(name).dtype(), name);
            assertArrayEquals((int[]) e[1], t.get(name).shape(), name);
            assertArrayEquals((double[]) e[2], t.get(name).toDoubleArray(), name);
        });
    }

    /**
     * Our writer's files for the same architectures, with our own initialisation (the MLP's BatchNorm
     * statistics from three training batches) and our outputs for the fixtures' inputs: read back, every
     * tensor is the one written, bit for bit, with its dtype and shape. The files stay in
     * {@code target/interop/} for check_vectorgrad_files.py.
     */
    @Test
    void ourFilesReadBackBitForBit() throws IOException {
        Path out = Files.createDirectories(Path.of("target", "interop"));
        for (Map.Entry<String, Function<Generator, Sequential>> a : ARCHITECTURES.entrySet()) {
            Generator g = new Generator(7);
            Sequential model = a.getValue().apply(g);
            if (model.get(2) instanceof BatchNorm1d) {
                for (int i = 0; i < 3; i++) {
                    model.forward(Tensor.randn(g, DType.FLOAT32, 16, 4));
                }
            }
            model.eval();
            NDArray input = fixture(a.getKey() + "_io").tensors().get("input");
            Map<String, NDArray> io = Map.of("input", input, "output", model.forward(Tensor.of(input)).value());
            Map<String, Map<String, NDArray>> files = Map.of("vectorgrad_" + a.getKey(), model.stateDict(),
                    "vectorgrad_" + a.getKey() + "_io", io);
            for (Map.Entry<String, Map<String, NDArray>> f : files.entrySet()) {
                Path file = out.resolve(f.getKey() + ".safetensors");
                SafeTensors.write(file, f.getValue(), Map.of("format", "pt"));
                Map<String, NDArray> back = SafeTensors.read(file).tensors();
                assertEquals(f.getValue().keySet(), back.keySet(), file.toString());
                f.getValue().forEach((name, v) -> assertBitForBit(v, back.get(name), file + " " + name));
            }
        }
    }

    private static void assertBitForBit(NDArray written, NDArray read, String what) {
        assertEquals(written.dtype(), read.dtype(), what);
        assertArrayEquals(written.shape(), read.shape(), what);
        double[] w = written.toDoubleArray(), r = read.toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            assertEquals(Double.doubleToRawLongBits(w[i]), Double.doubleToRawLongBits(r[i]), what + " element " + i);
        }
    }

    /** Our architecture's keys are PyTorch's: the fixture loads strictly, and our state dict has exactly its keys. */
    @Test
    void theArchitecturesHavePyTorchsKeys() throws IOException {
        for (Map.Entry<String, Function<Generator, Sequential>> a : ARCHITECTURES.entrySet()) {
            Module model = a.getValue().apply(new Generator(0));
            assertEquals(fixture(a.getKey()).tensors().keySet(), model.stateDict().keySet(), a.getKey());
        }
    }
}
