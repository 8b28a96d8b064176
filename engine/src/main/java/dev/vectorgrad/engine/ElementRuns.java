package dev.vectorgrad.engine;

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

    private ElementRuns() {
    }

    static void forEach(int[] shape, int[] offsets, int[][] strides, Body body) {
        int ops = offsets.length;
        int rank = shape.length;
        int[] sizes = new int[rank];
        int[][] st = new int[ops][rank];
        int dims = 0;
        for (int i = 0; i < rank; i++) {
            if (shape[i] == 0) {
                return;
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
        int[] off = offsets.clone();
        if (dims == 0) {
            body.run(off, new int[ops], 1);
            return;
        }
        int inner = dims - 1;
        int[] innerStrides = new int[ops];
        for (int o = 0; o < ops; o++) {
            innerStrides[o] = st[o][inner];
        }
        int[] index = new int[inner];
        while (true) {
            body.run(off, innerStrides, sizes[inner]);
            int d = inner - 1;
            for (; d >= 0; d--) {
                index[d]++;
                for (int o = 0; o < ops; o++) {
                    off[o] += st[o][d];
                }
                if (index[d] < sizes[d]) {
                    break;
                }
                for (int o = 0; o < ops; o++) {
                    off[o] -= st[o][d] * sizes[d];
                }
                index[d] = 0;
            }
            if (d < 0) {
                return;
            }
        }
    }

    private static boolean mergeable(int[][] st, int prev, int[][] strides, int dim, int size) {
        for (int o = 0; o < st.length; o++) {
            if (st[o][prev] != strides[o][dim] * size) {
                return false;
            }
        }
        return true;
    }
}
