package dev.vectorgrad.nn.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Safetensors files built byte by byte from the format's description, for the tests. */
final class Stored {

    private Stored() {
    }

    /** A file: the header's length (8 bytes, little-endian), the header, the data. */
    static byte[] file(String header, byte[] data) {
        return file(header.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] file(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    /** A header entry: {@code "name":{"dtype":...,"shape":...,"data_offsets":[begin,end]}}. */
    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    /**
     * {@code values} as {@code type} stores them, little-endian; each value must be representable (a
     * whole number in range for the integer types, 0 or 1 for BOOL).
     */
    static byte[] encode(StoredType type, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * type.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (type) {
                case F64 -> b.putDouble(v);
                case F32 -> b.putFloat((float) v);
                case F16 -> b.putShort(Float.floatToFloat16((float) v));
                case BF16 -> b.putShort((short) (Float.floatToRawIntBits((float) v) >>> 16));
                case I64 -> b.putLong((long) v);
                case I32 -> b.putInt((int) v);
                case I16 -> b.putShort((short) v);
                case I8, U8, BOOL -> b.put((byte) v);
            }
        }
        return b.array();
    }
}
