package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;

/**
 * Splits one axis into several, as PyTorch's {@code nn.Unflatten}: the axis {@code dim} (negative counts
 * from the end) of the input becomes the axes {@code sizes}, whose product must be its length; one size may
 * be -1, inferred from the others. A view where the strides allow, as {@code reshape}.
 *
 * <pre>{@code
 * Module toImages = new Unflatten(1, 1, 8, 8);    // [N, 64] -> [N, 1, 8, 8]
 * Module split = new Unflatten(-1, 2, -1);        // [N, C, 8] -> [N, C, 2, 4]
 * }</pre>
 */
public final class Unflatten extends Module {

    private final int dim;
    private final int[] sizes;

    public Unflatten(int dim, int... sizes) {
        long inferred = Arrays.stream(sizes).filter(s -> s == -1).count();
        if (sizes.length == 0 || inferred > 1 || Arrays.stream(sizes).anyMatch(s -> s < -1)) {
            throw new IllegalArgumentException("Unflatten: needs sizes of at least 0, with at most one -1 (inferred), got "
                    + Shape.format(sizes));
        }
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] in = x.shape();
        if (dim < -in.length || dim >= in.length) {
            throw inputError("input of shape " + Shape.format(in) + " has no dimension " + dim);
        }
        int axis = dim < 0 ? dim + in.length : dim;
        return x.reshape(outputShape(in, axis));
    }

    /** {@code in} with axis {@code axis} replaced by {@link #sizes}, the -1 (if any) worked out. */
    private int[] outputShape(int[] in, int axis) {
        long known = 1;
        int free = -1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1) {
                free = i;
            } else {
                known *= sizes[i];
            }
        }
        int[] split = sizes.clone();
        if (free >= 0 && known > 0 && in[axis] % known == 0) {
            split[free] = (int) (in[axis] / known);
        } else if (free >= 0 || known != in[axis]) {
            throw inputError("input of shape " + Shape.format(in) + ": dimension " + axis + " (" + in[axis]
                    + ") cannot be split into " + Shape.format(sizes));
        }
        int[] out = new int[in.length - 1 + split.length];
        System.arraycopy(in, 0, out, 0, axis);
        System.arraycopy(split, 0, out, axis, split.length);
        System.arraycopy(in, axis + 1, out, axis + split.length, in.length - axis - 1);
        return out;
    }

    @Override
    protected String describe() {
        return "Unflatten(dim=" + dim + ", unflattenedSize=" + Shape.format(sizes) + ")";
    }
}
