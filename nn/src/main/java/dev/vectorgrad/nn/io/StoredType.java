package dev.vectorgrad.nn.io;

import dev.vectorgrad.engine.DType;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The element types a safetensors file may store that this reader decodes: each one's size and the
 * dtype it becomes, chosen so that every stored value is represented exactly. Floating types keep their
 * width (the half types widen to FLOAT32); I64 and I32 become FLOAT64, exact for every I32 and for I64
 * values up to 2^53 in magnitude (larger ones are rejected); I16, I8, U8 and BOOL become FLOAT32, exact
 * for all their values (BOOL bytes must be 0 or 1).
 */
enum StoredType {
    F64(8, DType.FLOAT64), F32(4, DType.FLOAT32), F16(2, DType.FLOAT32), BF16(2, DType.FLOAT32),
    I64(8, DType.FLOAT64), I32(4, DType.FLOAT64), I16(2, DType.FLOAT32), I8(1, DType.FLOAT32), U8(1, DType.FLOAT32),
    BOOL(1, DType.FLOAT32);

    /** The largest magnitude below which every whole number is a double: 2^53. */
    static final long EXACT_IN_DOUBLE = 1L << 53;

    final int bytes;
    final DType dtype;

    StoredType(int bytes, DType dtype) {
        this.bytes = bytes;
        this.dtype = dtype;
    }

    static StoredType named(String name) {
        for (StoredType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Decodes {@code n} elements from {@code raw} (little-endian, at its position, which advances) into
     * {@code out[at..at+n)}; {@code out} is a {@code float[]} for FLOAT32 types, a {@code double[]} for
     * FLOAT64 ones. A value with no exact representation is an exception naming the tensor {@code name}
     * of {@code file} and the element's index in the tensor ({@code at} counts the elements decoded
     * before).
     */
    void decode(ByteBuffer raw, Object out, int at, int n, Path file, String name) throws SafeTensorsException {
        switch (this) {
            case F64 -> {
                raw.asDoubleBuffer().get((double[]) out, at, n);
                raw.position(raw.position() + n * bytes);
            }
            case F32 -> {
                raw.asFloatBuffer().get((float[]) out, at, n);
                raw.position(raw.position() + n * bytes);
            }
            case F16 -> {
                float[] f = (float[]) out;
                for (int i = at; i < at + n; i++) {
                    f[i] = Float.float16ToFloat(raw.getShort());
                }
            }
            case BF16 -> {
                float[] f = (float[]) out;
                for (int i = at; i < at + n; i++) {
                    f[i] = Float.intBitsToFloat((raw.getShort() & 0xffff) << 16);
                }
            }
            case I64 -> {
                double[] d = (double[]) out;
                for (int i = at; i < at + n; i++) {
                    long v = raw.getLong();
                    if (v > EXACT_IN_DOUBLE || v < -EXACT_IN_DOUBLE) {
                        throw new SafeTensorsException(file + ": " + Header.where(name) + " holds the I64 value " + v + " at element " + i
                                + ", beyond 2^53 where FLOAT64 stops being exact");
                    }
                    d[i] = v;
                }
            }
            case I32 -> {
                double[] d = (double[]) out;
                for (int i = at; i < at + n; i++) {
                    d[i] = raw.getInt();
                }
            }
            case I16 -> {
                float[] f = (float[]) out;
                for (int i = at; i < at + n; i++) {
                    f[i] = raw.getShort();
                }
            }
            case I8 -> {
                float[] f = (float[]) out;
                for (int i = at; i < at + n; i++) {
                    f[i] = raw.get();
                }
            }
            case U8 -> {
                float[] f = (float[]) out;
                for (int i = at; i < at + n; i++) {
                    f[i] = raw.get() & 0xff;
                }
            }
            case BOOL -> {
                float[] f = (float[]) out;
                for (int i = at; i < at + n; i++) {
                    byte b = raw.get();
                    if (b != 0 && b != 1) {
                        throw new SafeTensorsException(file + ": " + Header.where(name) + " holds the BOOL byte " + (b & 0xff) + " at element " + i
                                + ", not 0 or 1");
                    }
                    f[i] = b;
                }
            }
        }
    }
}
