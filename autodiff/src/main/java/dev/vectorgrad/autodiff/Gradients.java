package dev.vectorgrad.autodiff;

import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The gradients that backward has summed for each tensor so far. When no graph is recorded, a tensor's
 * second and later contributions are summed in place into an array made here (owned); a gradient that
 * a rule returned may be shared with other tensors (add's rule hands the same {@code g} to both inputs),
 * so it is never written into. When the gradients' graph is recorded, every sum is a recorded add.
 */
final class Gradients {

    /** A tensor's summed gradient, and whether backward made it (so that nothing else holds it). */
    record Sum(Tensor gradient, boolean owned) {
    }

    private final boolean inPlace;
    private final Map<Tensor, Tensor> sums = new IdentityHashMap<>();
    private final Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());

    Gradients(boolean recordGraph) {
        this.inPlace = !recordGraph;
    }

    /** Adds {@code g} to the gradient of {@code t}. */
    void add(Tensor t, Tensor g) {
        if (!Arrays.equals(g.value().shape(), t.value().shape())) {
            throw new IllegalStateException("backward: gradient of shape " + Shape.format(g.value().shape())
                    + " for a tensor of shape " + Shape.format(t.value().shape()));
        }
        Tensor sum = sums.get(t);
        if (sum == null) {
            sums.put(t, g);
        } else if (owned.contains(t)) {
            sum.value().addInPlace(g.value());
        } else {
            sums.put(t, sum.add(g));
            if (inPlace) {
                owned.add(t);
            }
        }
    }

    /** Whether {@code node}'s contributions go through its {@link Scatter}: only when no graph is recorded. */
    boolean scatters(Node node) {
        return inPlace && node.scatter != null;
    }

    /** The owned array holding the gradient of {@code t}, made from zeros or from its sum so far if needed. */
    NDArray ownedSum(Tensor t) {
        Tensor sum = sums.get(t);
        if (sum != null && owned.contains(t)) {
            return sum.value();
        }
        NDArray value = sum == null ? NDArray.zeros(t.dtype(), t.shape()) : sum.value().copy();
        sums.put(t, Tensor.of(value));
        owned.add(t);
        return value;
    }

    /** Takes out the summed gradient of {@code t}, or null when none reached it. */
    Sum take(Tensor t) {
        Tensor sum = sums.remove(t);
        return sum == null ? null : new Sum(sum, owned.remove(t));
    }
}
