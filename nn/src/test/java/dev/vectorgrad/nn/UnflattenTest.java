package dev.vectorgrad.nn;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vectorgrad.autodiff.GradCheck;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.ConvParams;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Unflatten against the row-major index arithmetic it stands for, its gradients in FLOAT64 (GradCheck's
 * tolerances, {@code 1e-5 + 1e-3 |numerical|}), its description and its errors.
 */
class UnflattenTest {

    private static final Generator G = new Generator(3);

    /**
     * Every element of {@code y} (of shape {@code out}) is the element of {@code x} whose index along the
     * unflattened axis {@code axis} is the row-major number of its indices along the {@code parts} new axes.
     */
    private static void assertUnflattened(NDArray x, NDArray y, int axis, int parts) {
        int[] out = y.shape();
        int[] index = new int[out.length];
        for (int k = 0; k < y.numel(); k++) {
            int rest = k;
            for (int d = out.length - 1; d >= 0; d--) {
                index[d] = rest % out[d];
                rest /= out[d];
            }
            int[] source = new int[x.dim()];
            int merged = 0;
            for (int d = 0; d < out.length; d++) {
                if (d < axis) {
                    source[d] = index[d];
                } else if (d < axis + parts) {
                    merged = merged * out[d] + index[d];
                } else {
                    source[d - parts + 1] = index[d];
                }
            }
            source[axis] = merged;
            assertEquals(x.get(source), y.get(index), "element " + Arrays.toString(index));
        }
    }

    @Test
    void splitsOneAxisIntoSeveralInferringAMinusOne() {
        NDArray digits = NDArray.arange(DType.FLOAT32, 0, 2 * 64, 1).reshape(2, 64);
        NDArray images = new Unflatten(1, 1, 8, 8).forward(Tensor.of(digits)).value();
        assertArrayEquals(new int[] {2, 1, 8, 8}, images.shape());
        assertUnflattened(digits, images, 1, 3);

        NDArray x = NDArray.randn(G, DType.FLOAT64, 2, 12, 5);
        NDArray middle = new Unflatten(1, 3, -1).forward(Tensor.of(x)).value();
        assertArrayEquals(new int[] {2, 3, 4, 5}, middle.shape());
        assertUnflattened(x, middle, 1, 2);
        NDArray last = new Unflatten(-1, -1, 1).forward(Tensor.of(x)).value();
        assertArrayEquals(new int[] {2, 12, 5, 1}, last.shape());
        assertUnflattened(x, last, 2, 2);
        NDArray first = new Unflatten(-3, 5, 1).forward(Tensor.of(x.transpose(0, 2))).value();
        assertArrayEquals(new int[] {5, 1, 12, 2}, first.shape(), "a transposed input, copied by reshape");
        assertUnflattened(x.transpose(0, 2), first, 0, 2);
        assertArrayEquals(new int[] {0, 2, 4}, new Unflatten(1, -1, 4).forward(Tensor.zeros(DType.FLOAT32, 0, 8)).shape(),
                "an empty batch");
    }

    @Test
    void gradientsFlowBackThroughTheSplit() {
        Tensor x = Tensor.randn(G, DType.FLOAT64, 3, 2, 12).requiresGrad(true);
        GradCheck.check(in -> new Unflatten(2, 3, -1).forward(in[0]).tanh(), x);
        GradCheck.check(in -> new Unflatten(0, 1, 3).forward(in[0].transpose(1, 2)).sin(), x);
        GradCheck.gradGradCheck(in -> new Unflatten(-1, 2, 2, 3).forward(in[0]).sin(), x);
        // The layer's use: flat rows into images for a convolution, parameters and input checked together.
        Sequential cnn = new Sequential(new Unflatten(1, 1, 4, 4),
                new Conv2d(1, 2, new int[] {3, 3}, ConvParams.of(1, 1), true, DType.FLOAT64, G), new Flatten());
        ModuleChecks.checkParameters(cnn, in -> cnn.forward(in[0]), Tensor.randn(G, DType.FLOAT64, 2, 16).requiresGrad(true));
    }

    @Test
    void describesItselfAsPyTorchsRepr() {
        // PyTorch 1.13: repr(nn.Unflatten(1, (1, 8, 8))) is 'Unflatten(dim=1, unflattened_size=(1, 8, 8))'.
        assertEquals("Unflatten(dim=1, unflattenedSize=[1, 8, 8])", new Unflatten(1, 1, 8, 8).describe());
        assertEquals("Unflatten(dim=-1, unflattenedSize=[2, -1])", new Unflatten(-1, 2, -1).describe());
    }

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void badSizesAndInputsAreNamed() {
        Tensor rows = Tensor.zeros(DType.FLOAT32, 2, 64);
        assertAll(
                rejects("Unflatten: needs sizes of at least 0, with at most one -1 (inferred), got [-1, -1]",
                        () -> new Unflatten(1, -1, -1)),
                rejects("Unflatten: needs sizes of at least 0, with at most one -1 (inferred), got [-2, 4]",
                        () -> new Unflatten(1, -2, 4)),
                rejects("Unflatten: needs sizes of at least 0, with at most one -1 (inferred), got []", () -> new Unflatten(1)),
                rejects("Unflatten(dim=1, unflattenedSize=[3, 5]): input of shape [2, 64]: dimension 1 (64) cannot be split"
                        + " into [3, 5]", () -> new Unflatten(1, 3, 5).forward(rows)),
                rejects("Unflatten(dim=1, unflattenedSize=[-1, 3]): input of shape [2, 64]: dimension 1 (64) cannot be split"
                        + " into [-1, 3]", () -> new Unflatten(1, -1, 3).forward(rows)),
                rejects("Unflatten(dim=1, unflattenedSize=[0, -1]): input of shape [2, 0]: dimension 1 (0) cannot be split"
                        + " into [0, -1]", () -> new Unflatten(1, 0, -1).forward(Tensor.zeros(DType.FLOAT32, 2, 0))),
                rejects("Unflatten(dim=2, unflattenedSize=[8, 8]): input of shape [2, 64] has no dimension 2",
                        () -> new Unflatten(2, 8, 8).forward(rows)),
                rejects("Unflatten(dim=-3, unflattenedSize=[8, 8]): input of shape [2, 64] has no dimension -3",
                        () -> new Unflatten(-3, 8, 8).forward(rows)),
                rejects("Sequential[1] Unflatten(dim=1, unflattenedSize=[1, 7, 7]): input of shape [2, 64]: dimension 1 (64)"
                        + " cannot be split into [1, 7, 7]",
                        () -> new Sequential(new Identity(), new Unflatten(1, 1, 7, 7), new Flatten()).forward(rows)));
    }
}
