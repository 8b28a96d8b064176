package dev.vectorgrad.engine;

import java.util.Arrays;

/**
 * Walks the elements of a shape for several operands at once, each with its own offset and strides,
 * as runs along the innermost dimension: the one loop over shapes behind every elementwise op.
 * Adjacent dimensions that are contiguous for every operand are merged first, so that a contiguous
 * array is one run however many dimensions it has.
 */
final class ElementRuns {

    /** One run: element {@code k < n} of operand {@code o} is at {@code offsets[o] + k * strides[o]}. */
    @FunctionalInterface
    interface Body {
        void run(int[] offsets, int[] strides, int n);
    }

    /** Split points fall on multiples of it in the walk's order: whole vectors of either dtype. */
    private static final int ALIGN = 64;

    /** The merged dimensions: {@code sizes[d]}, and operand {@code o}'s stride along d in {@code strides[o][d]}. */
    private final int[] sizes;
    private final int[][] strides;
    private final int[] offsets;
    private final int total;

    private ElementRuns(int[] sizes, int[][] strides, int[] offsets) {
        this.sizes = sizes;
        this.strides = strides;
        this.offsets = offsets;
        int t = 1;
        for (int s : sizes) {
            t *= s;
        }
        this.total = t;
    }

    /** Every element, in order, on the calling thread. */
    static void forEach(int[] shape, int[] offsets, int[][] strides, Body body) {
        ElementRuns runs = merge(shape, offsets, strides);
        runs.walk(0, runs.total, body);
    }

    /**
     * Every element, split into ranges of the walk's order across the pool when there are at least
     * {@code 2 * grain} of them: {@code body} must be safe to run at once on disjoint elements, and
     * gives each element a result that does not depend on the run it falls in.
     */
    static void forEachSplit(int[] shape, int[] offsets, int[][] strides, int grain, Body body) {
        ElementRuns runs = merge(shape, offsets, strides);
        int tasks = Math.min(Parallel.threads(), runs.total / grain);
        if (tasks <= 1) {
            runs.walk(0, runs.total, body);
            return;
        }
        int chunk = ((runs.total + tasks - 1) / tasks + ALIGN - 1) / ALIGN * ALIGN;
        Parallel.forEach((runs.total + chunk - 1) / chunk,
                t -> runs.walk(t * chunk, (int) Math.min(runs.total, (long) (t + 1) * chunk), body));
    }

    private static ElementRuns merge(int[] shape, int[] offsets, int[][] strides) {
        int ops = offsets.length;
        int rank = shape.length;
        int[] sizes = new int[rank];
        int[][] st = new int[ops][rank];
        int dims = 0;
        for (int i = 0; i < rank; i++) {
            if (shape[i] == 0) {
                return new ElementRuns(new int[] {0}, new int[ops][1], offsets);
            }
            if (shape[i] == 1) {
                continue;
            }
            if (dims > 0 && mergeable(st, dims - 1, strides, i, shape[i])) {
                sizes[dims - 1] *= shape[i];
                for (int o = 0; o < ops; o++) {
                    st[o][dims - 1] = strides[o][i];
                }
            } else {
                sizes[dims] = shape[i];
                for (int o = 0; o < ops; o++) {
                    st[o][dims] = strides[o][i];
                }
                dims++;
            }
        }
        if (dims == 0) {
            return new ElementRuns(new int[] {1}, new int[ops][1], offsets);
        }
        int[][] merged = new int[ops][];
        for (int o = 0; o < ops; o++) {
            merged[o] = Arrays.copyOf(st[o], dims);
        }
        return new ElementRuns(Arrays.copyOf(sizes, dims), merged, offsets);
    }

    private static boolean mergeable(int[][] st, int prev, int[][] strides, int dim, int size) {
        for (int o = 0; o < st.length; o++) {
            if (st[o][prev] != strides[o][dim] * size) {
                return false;
            }
        }
        return true;
    }

    /** The elements {@code from <= e < to} of the walk's order, as runs clipped to the range. */
    private void walk(int from, int to, Body body) {
        if (from >= to) {
            return;
        }
        int ops = offsets.length, inner = sizes.length - 1;
        int[] index = new int[sizes.length];
        int[] off = offsets.clone();
        int[] innerStrides = new int[ops];
        for (int d = inner, rest = from; d >= 0; d--) {
            index[d] = rest % sizes[d];
            rest /= sizes[d];
            for (int o = 0; o < ops; o++) {
                off[o] += index[d] * strides[o][d];
            }
        }
        for (int o = 0; o < ops; o++) {
            innerStrides[o] = strides[o][inner];
        }
        for (int at = from; ; ) {
            int n = Math.min(sizes[inner] - index[inner], to - at);
            body.run(off, innerStrides, n);
            at += n;
            if (at == to) {
                return;
            }
            // Back to the start of the row, then the next row.
            for (int o = 0; o < ops; o++) {
                off[o] -= index[inner] * innerStrides[o];
            }
            index[inner] = 0;
            for (int d = inner - 1; d >= 0; d--) {
                index[d]++;
                for (int o = 0; o < ops; o++) {
                    off[o] += strides[o][d];
                }
                if (index[d] < sizes[d]) {
                    break;
                }
                for (int o = 0; o < ops; o++) {
                    off[o] -= strides[o][d] * sizes[d];
                }
                index[d] = 0;
            }
        }
    }
}
