package dev.tiledgateway.formats.table;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Just enough of Thrift's compact protocol to write Parquet's footer and page headers. */
final class ThriftCompactWriter {

    static final int BOOL_TRUE = 1, BOOL_FALSE = 2, BYTE = 3, I32 = 5, I64 = 6, BINARY = 8, LIST = 9, STRUCT = 12;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Deque<Integer> lastIds = new ArrayDeque<>();
    private int lastId;

    byte[] toByteArray() { return out.toByteArray(); }

    ThriftCompactWriter i32(int id, int v) { header(id, I32); varint(zigzag(v)); return this; }

    ThriftCompactWriter i64(int id, long v) { header(id, I64); varint(zigzag(v)); return this; }

    ThriftCompactWriter i8(int id, int v) { header(id, BYTE); out.write(v); return this; }

    ThriftCompactWriter bool(int id, boolean v) { header(id, v ? BOOL_TRUE : BOOL_FALSE); return this; }

    ThriftCompactWriter string(int id, String s) { header(id, BINARY); binary(s.getBytes(StandardCharsets.UTF_8)); return this; }

    /** Opens a struct-valued field; close it with {@link #end()}. */
    ThriftCompactWriter struct(int id) { header(id, STRUCT); push(); return this; }

    /** An empty struct-valued field (Parquet's marker structs such as StringType). */
    ThriftCompactWriter empty(int id) { return struct(id).end(); }

    ThriftCompactWriter end() {
        out.write(0);
        lastId = lastIds.pop();
        return this;
    }

    /** Starts a list field of {@code size} elements of {@code type}; write elements with the element methods below. */
    ThriftCompactWriter list(int id, int type, int size) {
        header(id, LIST);
        if (size < 15) out.write(size << 4 | type);
        else {
            out.write(0xF0 | type);
            varint(size);
        }
        return this;
    }

    ThriftCompactWriter elementI32(int v) { varint(zigzag(v)); return this; }

    ThriftCompactWriter elementString(String s) { binary(s.getBytes(StandardCharsets.UTF_8)); return this; }

    /** Opens a struct element of a list; close it with {@link #end()}. */
    ThriftCompactWriter element() { push(); return this; }

    /** Ends the top-level struct being written (a footer or page header). */
    byte[] finish() {
        out.write(0);
        return toByteArray();
    }

    private void push() {
        lastIds.push(lastId);
        lastId = 0;
    }

    private void header(int id, int type) {
        int delta = id - lastId;
        if (delta > 0 && delta <= 15) out.write(delta << 4 | type);
        else {
            out.write(type);
            varint(zigzag(id));
        }
        lastId = id;
    }

    private void binary(byte[] b) {
        varint(b.length);
        out.writeBytes(b);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long zigzag(long v) { return v << 1 ^ v >> 63; }
}
