package dev.tiledgateway.core.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Encodes a JSON tree as MessagePack, the encoding the Tiled client asks for first on every metadata request.
 * Covers what JSON can hold: maps, arrays, strings, integers, floats, booleans, nil; and points in time
 * ({@link TimestampNode}) as the Timestamp extension type -1, in its 32-, 64- or 96-bit form.
 */
public final class MsgPack {

    private MsgPack() {}

    public static byte[] encode(JsonNode n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(n, out);
        return out.toByteArray();
    }

    private static void write(JsonNode n, ByteArrayOutputStream out) {
        if (n instanceof TimestampNode t) writeTimestamp(t.instant(), out);
        else if (n == null || n.isNull() || n.isMissingNode()) out.write(0xc0);
        else if (n.isBoolean()) out.write(n.booleanValue() ? 0xc3 : 0xc2);
        else if (n.isIntegralNumber() && n.canConvertToLong()) writeLong(n.longValue(), out);
        else if (n.isBigInteger()) {
            out.write(0xcf);
            writeBE(n.bigIntegerValue().longValue(), 8, out);
        } else if (n.isNumber()) {
            out.write(0xcb);
            writeBE(Double.doubleToLongBits(n.doubleValue()), 8, out);
        } else if (n.isTextual()) writeString(n.textValue(), out);
        else if (n.isBinary()) {
            byte[] b = ((com.fasterxml.jackson.databind.node.BinaryNode) n).binaryValue();
            header(b.length, 0xc4, 0xc5, 0xc6, out);
            out.write(b, 0, b.length);
        } else if (n.isArray()) {
            int size = n.size();
            if (size < 16) out.write(0x90 | size);
            else header(size, -1, 0xdc, 0xdd, out);
            for (JsonNode e : n) write(e, out);
        } else if (n.isObject()) {
            int size = n.size();
            if (size < 16) out.write(0x80 | size);
            else header(size, -1, 0xde, 0xdf, out);
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                writeString(e.getKey(), out);
                write(e.getValue(), out);
            }
        } else {
            writeString(n.asText(), out);
        }
    }

    /** The Timestamp extension: the smallest of its three forms that holds the instant. */
    private static void writeTimestamp(java.time.Instant t, ByteArrayOutputStream out) {
        long seconds = t.getEpochSecond();
        int nanos = t.getNano();
        if (seconds >= 0 && seconds >> 34 == 0) {
            if (nanos == 0 && seconds >> 32 == 0) {
                out.write(0xd6);
                out.write(0xff);
                writeBE(seconds, 4, out);
            } else {
                out.write(0xd7);
                out.write(0xff);
                writeBE(((long) nanos << 34) | seconds, 8, out);
            }
        } else {
            out.write(0xc7);
            out.write(12);
            out.write(0xff);
            writeBE(nanos, 4, out);
            writeBE(seconds, 8, out);
        }
    }

    private static void writeLong(long v, ByteArrayOutputStream out) {
        if (v >= 0 && v < 128) out.write((int) v);
        else if (v < 0 && v >= -32) out.write((int) (v & 0xff));
        else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write(0xd2);
            writeBE(v, 4, out);
        } else {
            out.write(0xd3);
            writeBE(v, 8, out);
        }
    }

    private static void writeString(String s, ByteArrayOutputStream out) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length < 32) out.write(0xa0 | b.length);
        else header(b.length, 0xd9, 0xda, 0xdb, out);
        out.write(b, 0, b.length);
    }

    /** Length header with 8-, 16- or 32-bit size (a code of -1 means that width does not exist). */
    private static void header(int len, int code8, int code16, int code32, ByteArrayOutputStream out) {
        if (code8 >= 0 && len < 256) {
            out.write(code8);
            out.write(len);
        } else if (len < 65536) {
            out.write(code16);
            writeBE(len, 2, out);
        } else {
            out.write(code32);
            writeBE(len, 4, out);
        }
    }

    private static void writeBE(long v, int bytes, ByteArrayOutputStream out) {
        for (int i = bytes - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)) & 0xff);
    }
}
