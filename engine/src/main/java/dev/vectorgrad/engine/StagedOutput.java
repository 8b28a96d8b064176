package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.Kernels;
import java.lang.reflect.Array;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Units of work spread across the pool into a new array that takes long to allocate: Java zeroes a new
 * array on the thread that asks for it, about 180 µs for 4 MB here, a third of a 2-thread convolution or
 * half of a 2-thread exp of 1M floats. The first task allocates the array while the others compute their
 * first units into staging space of their own (kept by their thread from call to call, so that it costs
 * no allocation) and copy them over once the array is there. Units are claimed one at a time; every unit
 * is computed the same way wherever its results first land, so the array does not depend on the thread
 * count.
 */
final class StagedOutput {

    /** Arrays from this many elements are allocated beside the first units of work. */
    static final int STAGE_FROM = 1 << 18;
    /** Elements of the staging space of one task. */
    private static final int STAGE_BUDGET = 1 << 19;

    /** One task's work: unit {@code unit}'s results written to {@code dest} from {@code offset}. */
    @FunctionalInterface
    interface Work {
        void unit(int unit, Object dest, int offset);
    }

    private final Kernels k;
    private final int size;
    private volatile Object data;

    private StagedOutput(Kernels k, int size) {
        this.k = k;
        this.size = size;
    }

    /**
     * A new array of {@code numel} elements of {@code dtype} holding the results of units
     * {@code 0 .. units-1}, run by up to {@code tasks} tasks; unit u's {@code length(u)} results (at most
     * {@code block}) belong at {@code at(u)}. {@code work} makes each task's work (and so its scratch).
     */
    static Object compute(DType dtype, int numel, int units, int tasks, int block, IntUnaryOperator at,
                          IntUnaryOperator length, IntFunction<Work> work) {
        Kernels k = dtype.kernels();
        StagedOutput output = new StagedOutput(k, numel);
        int slots = numel < STAGE_FROM ? 0 : Math.min(units, STAGE_BUDGET / Math.max(1, block));
        AtomicInteger next = new AtomicInteger();
        Parallel.forEach(tasks, t -> {
            Work w = work.apply(t);
            Staged staged = new Staged(t == 0 || tasks == 1 ? 0 : slots, block, dtype, k);
            Object od = t == 0 ? output.get() : output.ready();
            for (int unit = next.getAndIncrement(); unit < units; unit = next.getAndIncrement()) {
                od = od != null ? od : staged.full() ? staged.flush(output.get()) : staged.flush(output.ready());
                if (od != null) {
                    w.unit(unit, od, at.applyAsInt(unit));
                } else {
                    w.unit(unit, staged.data(), staged.add(at.applyAsInt(unit), length.applyAsInt(unit)));
                }
            }
            staged.flush(output.get());
        });
        return output.get();
    }

    /** The array, allocated here if no task has yet; waits while another allocates it. */
    private synchronized Object get() {
        if (data == null) {
            data = k.allocate(size);
        }
        return data;
    }

    /** The array, or null while it is not allocated. */
    private Object ready() {
        return data;
    }

    /** Results of whole units held in a task's staging space until the output exists: {@code slots} blocks of {@code block} elements. */
    private static final class Staged {
        private static final ThreadLocal<Object[]> SPACE = ThreadLocal.withInitial(() -> new Object[DType.values().length]);

        private final int block;
        private final Kernels k;
        private final Object data;
        private final int[] at;
        private final int[] length;
        private int used;

        Staged(int slots, int block, DType dtype, Kernels k) {
            this.block = block;
            this.k = k;
            Object[] space = SPACE.get();
            if (slots > 0 && (space[dtype.ordinal()] == null
                    || Array.getLength(space[dtype.ordinal()]) < slots * block)) {
                space[dtype.ordinal()] = k.allocate(slots * block);
            }
            this.data = slots > 0 ? space[dtype.ordinal()] : null;
            this.at = new int[slots];
            this.length = new int[slots];
        }

        /** Whether no slot is free: then the task waits for the output. */
        boolean full() {
            return used == at.length;
        }

        Object data() {
            return data;
        }

        /** Takes a slot for a unit's {@code n} results, which belong at {@code target} of the output; returns its offset. */
        int add(int target, int n) {
            at[used] = target;
            length[used] = n;
            return used++ * block;
        }

        /** Copies the staged results into {@code out} if it is there, and returns it. */
        Object flush(Object out) {
            for (int i = 0; i < used && out != null; i++) {
                k.copy(data, i * block, 1, out, at[i], 1, length[i]);
            }
            used = out != null ? 0 : used;
            return out;
        }
    }
}
