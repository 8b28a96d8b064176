package dev.vectorgrad.engine;

import dev.vectorgrad.engine.kernels.BinaryOp;
import dev.vectorgrad.engine.kernels.DoubleKernels;
import dev.vectorgrad.engine.kernels.FloatKernels;
import dev.vectorgrad.engine.kernels.Kernels;
import dev.vectorgrad.engine.kernels.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every unary operator and POW, in both dtypes, on a fixed input that reaches each function's paths
 * (the special values, subnormals, the thresholds, sin and cos beyond their reduction's limit), with
 * contiguous runs (vector body and tail) and strided ones: one line of result bits per operator and
 * dtype; every NaN is written alike, as IEEE 754 leaves a NaN's sign and payload to the hardware and
 * the JIT may order a NaN's operands otherwise than the interpreter. Run in a fresh JVM with {@code -Xint} by {@link DeterminismTest}, which compares the lines with
 * its own after the JIT has compiled the kernels; {@code main} prints them.
 */
final class DeterminismProbe {

    private DeterminismProbe() {
    }

    static double[] input() {
        double[] special = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Float.MIN_VALUE,
            -Float.MIN_VALUE, Double.MIN_VALUE, Float.MIN_NORMAL, 1, -1, 88.72283, 88.72284, -103.97, -104, 709.78, 709.79,
            -745.13, -745.14, 65537, -1e6, 0x1p31, 1e30, -1e300, 86.6, -86.6, 86.7, -86.7, 87.4, -87.4, 707.6, -707.6, 707.8, -707.8};
        SplittableRandom random = new SplittableRandom(2026);
        double[] x = new double[special.length + 120];
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < x.length; i++) {
            x[i] = switch (i % 3) {
                case 0 -> random.nextGaussian() * 3;
                case 1 -> (random.nextDouble() - 0.5) * 200;
                default -> Math.copySign(Math.scalb(1 + random.nextDouble(), random.nextInt(-150, 128)), random.nextDouble() - 0.5);
            };
        }
        return x;
    }

    /** The result lines: contiguous over the whole input, then every third element, for each operator. */
    static List<String> lines() {
        double[] x = input();
        List<String> lines = new ArrayList<>();
        for (DType dtype : DType.values()) {
            Kernels k = dtype == DType.FLOAT32 ? FloatKernels.INSTANCE : DoubleKernels.INSTANCE;
            Object a = k.allocate(x.length), b = k.allocate(x.length);
            for (int i = 0; i < x.length; i++) {
                k.set(a, i, x[i]);
                k.set(b, i, x[(i * 7 + 3) % x.length] / 16);
            }
            for (UnaryOp op : UnaryOp.values()) {
                Object out = k.allocate(x.length), strided = k.allocate(x.length / 3);
                k.unary(op, a, 0, 1, out, 0, 1, x.length);
                k.unary(op, a, 0, 3, strided, 0, 1, x.length / 3);
                lines.add(dtype + " " + op + " " + bits(k, out) + " | " + bits(k, strided));
            }
            Object out = k.allocate(x.length);
            k.binary(BinaryOp.POW, a, 0, 1, b, 0, 1, out, 0, 1, x.length);
            lines.add(dtype + " POW " + bits(k, out));
        }
        return lines;
    }

    private static String bits(Kernels k, Object array) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < k.length(array); i++) {
            s.append(Long.toHexString(Double.doubleToLongBits(k.get(array, i)))).append(' ');
        }
        return s.toString();
    }

    public static void main(String[] args) {
        lines().forEach(System.out::println);
    }
}
