package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.ConvParams;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import dev.vectorgrad.nn.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same architecture has PyTorch's state-dict keys, in PyTorch's order, with PyTorch's shapes. */
class StateDictTest {

    private final Generator g = new Generator(2);

    /**
     * From PyTorch 1.13: {@code nn.Sequential(nn.Embedding(10, 8, padding_idx=0), nn.LayerNorm(8),
     * nn.MultiheadAttention(8, 2, batch_first=True), nn.LSTM(8, 16, num_layers=2, batch_first=True),
     * nn.GRU(16, 12), nn.RNN(12, 6, nonlinearity='relu', bias=False), nn.BatchNorm1d(6),
     * nn.BatchNorm2d(3, affine=False), nn.BatchNorm1d(4, track_running_stats=False),
     * nn.ModuleList([nn.Linear(6, 5), nn.ELU()]), nn.MultiheadAttention(4, 1, bias=False),
     * nn.LayerNorm([2, 3], elementwise_affine=False), nn.Conv2d(4, 6, (3, 2), groups=2), nn.Conv1d(2, 3, 3, bias=False),
     * nn.RNN(3, 5, num_layers=2, batch_first=True), nn.BatchNorm2d(3), nn.Linear(3, 2, bias=False)).state_dict()}, each key
     * and its shape.
     */
    private static final List<String> PYTORCH = List.of("0.weight", "[10, 8]", "1.weight", "[8]", "1.bias", "[8]",
            "2.in_proj_weight", "[24, 8]", "2.in_proj_bias", "[24]", "2.out_proj.weight", "[8, 8]", "2.out_proj.bias", "[8]",
            "3.weight_ih_l0", "[64, 8]", "3.weight_hh_l0", "[64, 16]", "3.bias_ih_l0", "[64]", "3.bias_hh_l0", "[64]",
            "3.weight_ih_l1", "[64, 16]", "3.weight_hh_l1", "[64, 16]", "3.bias_ih_l1", "[64]", "3.bias_hh_l1", "[64]",
            "4.weight_ih_l0", "[36, 16]", "4.weight_hh_l0", "[36, 12]", "4.bias_ih_l0", "[36]", "4.bias_hh_l0", "[36]",
            "5.weight_ih_l0", "[6, 12]", "5.weight_hh_l0", "[6, 6]", "6.weight", "[6]", "6.bias", "[6]", "6.running_mean", "[6]",
            "6.running_var", "[6]", "6.num_batches_tracked", "[]", "7.running_mean", "[3]", "7.running_var", "[3]",
            "7.num_batches_tracked", "[]", "8.weight", "[4]", "8.bias", "[4]", "9.0.weight", "[5, 6]", "9.0.bias", "[5]",
            "10.in_proj_weight", "[12, 4]", "10.out_proj.weight", "[4, 4]", "12.weight", "[6, 2, 3, 2]", "12.bias", "[6]",
            "13.weight", "[3, 2, 3]", "14.weight_ih_l0", "[5, 3]", "14.weight_hh_l0", "[5, 5]", "14.bias_ih_l0", "[5]",
            "14.bias_hh_l0", "[5]", "14.weight_ih_l1", "[5, 5]", "14.weight_hh_l1", "[5, 5]", "14.bias_ih_l1", "[5]", "14.bias_hh_l1", "[5]",
            "15.weight", "[3]", "15.bias", "[3]", "15.running_mean", "[3]", "15.running_var", "[3]", "15.num_batches_tracked", "[]",
            "16.weight", "[2, 3]");

    private Sequential sameArchitecture() {
        return new Sequential(new Embedding(10, 8, 0, g), new LayerNorm(8), new MultiheadAttention(8, 2, true, true, g),
                new LSTM(8, 16, 2, true, true, g), new GRU(16, 12, g), new RNN(12, 6, 1, "relu", false, false, g), new BatchNorm1d(6),
                new BatchNorm2d(3, 1e-5, 0.1, false, true), new BatchNorm1d(4, 1e-5, 0.1, true, false),
                new ModuleList(new Linear(6, 5, g), new ELU()), new MultiheadAttention(4, 1, false, false, g),
                new LayerNorm(new int[] {2, 3}, 1e-5, false), new Conv2d(4, 6, new int[] {3, 2}, ConvParams.of(1, 0, 1, 2), true, DType.FLOAT32, g),
                new Conv1d(2, 3, 3, 1, 0, 1, 1, false, DType.FLOAT32, g), new RNN(3, 5, 2, "tanh", true, true, g), new BatchNorm2d(3),
                new Linear(3, 2, false, g));
    }

    @Test
    void keysOrderAndShapesAreThoseOfPyTorch() {
        List<String> ours = new ArrayList<>();
        sameArchitecture().stateDict().forEach((k, v) -> {
            ours.add(k);
            ours.add(Shape.format(v.shape()));
        });
        assertEquals(PYTORCH, ours);
    }

    @Test
    void aStateDictLoadsIntoAFreshModelOfTheSameArchitecture() {
        Sequential a = sameArchitecture(), b = sameArchitecture();
        a.parameters().forEach(p -> Init.uniform(p, -1, 1, g));
        ((BatchNorm) a.get(6)).forward(Tensor.randn(g, DType.FLOAT32, 4, 6));
        b.loadStateDict(a.stateDict(), true);
        Map<String, NDArray> sa = a.stateDict(), sb = b.stateDict();
        sa.forEach((k, v) -> assertArrayEquals(v.toDoubleArray(), sb.get(k).toDoubleArray(), 0, k));
        assertEquals(1, sb.get("6.num_batches_tracked").item());
    }

    @Test
    void aStateDictWithCountsAndMixedDtypesRoundTripsThroughSafetensors(@TempDir Path dir) throws IOException {
        Sequential a = sameArchitecture(), b = sameArchitecture();
        ((BatchNorm) a.get(6)).forward(Tensor.randn(g, DType.FLOAT32, 4, 6));
        a.get(3).to(DType.FLOAT64);
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, a.stateDict(), Map.of());
        b.loadStateDict(SafeTensors.read(file).tensors(), true);
        a.stateDict().forEach((k, v) -> assertArrayEquals(v.toDoubleArray(), b.stateDict().get(k).toDoubleArray(), 0, k));
        assertEquals(1, b.stateDict().get("6.num_batches_tracked").item());
    }

    @Test
    void recurrentAndAttentionLayersFitInASequential() {
        Sequential model = new Sequential(new Embedding(10, 8, g), new MultiheadAttention(8, 2, true, true, g),
                new LSTM(8, 16, 1, true, true, g), new LayerNorm(16), new Linear(16, 4, g));
        Tensor tokens = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new int[] {2, 3, 4}, model.forward(tokens).shape());
        model.forward(tokens).sum().backward();
        model.parameters().forEach(p -> assertTrue(p.grad() != null, "every parameter gets a gradient"));
    }
}
