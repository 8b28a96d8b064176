package dev.vectorgrad.nn.io;

import dev.vectorgrad.engine.NDArray;
import java.nio.ByteBuffer;

/** The element types a safetensors file may store that this reader decodes, with their sizes. */
enum StoredType {
    F32(4), F64(8), F16(2), BF16(2);

    final int bytes;

    StoredType(int bytes) {
        this.bytes = bytes;
    }

    static StoredType named(String name) {
        for (StoredType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The array {@code raw} (little-endian, positioned at its start) holds; half types widen to FLOAT32. */
    NDArray decode(ByteBuffer raw, int[] shape) {
        int n = raw.remaining() / bytes;
        if (this == F64) {
            double[] d = new double[n];
            raw.asDoubleBuffer().get(d);
            return NDArray.of(d, shape);
        }
        float[] f = new float[n];
        switch (this) {
            case F32 -> raw.asFloatBuffer().get(f);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    f[i] = Float.float16ToFloat(raw.getShort());
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    f[i] = Float.intBitsToFloat((raw.getShort() & 0xffff) << 16);
                }
            }
        }
        return NDArray.of(f, shape);
    }
}
