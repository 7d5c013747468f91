package dev.tiledgateway.formats.table;

import com.github.luben.zstd.Zstd;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes a payload as a Parquet file: one row group, one zstd-compressed PLAIN data page per column, every
 * column OPTIONAL, and the Arrow schema under {@code ARROW:schema} (with pandas metadata) so pyarrow restores the
 * exact types, dictionaries and index.
 */
final class ParquetFileWriter {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int CODEC_ZSTD = 6, ENCODING_PLAIN = 0, ENCODING_RLE = 3, ZSTD_LEVEL = 3;

    private record Chunk(Field field, long offset, long uncompressed, long compressed) {}

    private ParquetFileWriter() {}

    static byte[] write(TablePayload p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        List<Chunk> chunks = new ArrayList<>();
        for (Field f : p.schema().getFields()) {
            ColumnView c = ColumnView.of(p, f.getName());
            long offset = out.size();
            byte[] page = concat(definitionLevels(c), ParquetColumnEncoder.plainValues(c));
            byte[] compressed = Zstd.compress(page, ZSTD_LEVEL);
            byte[] header = new ThriftCompactWriter().i32(1, 0).i32(2, page.length).i32(3, compressed.length)
                    .struct(5).i32(1, c.size()).i32(2, ENCODING_PLAIN).i32(3, ENCODING_RLE).i32(4, ENCODING_RLE).end()
                    .finish();
            out.writeBytes(header);
            out.writeBytes(compressed);
            chunks.add(new Chunk(f, offset, header.length + page.length, header.length + compressed.length));
        }
        byte[] footer = footer(p, chunks);
        out.writeBytes(footer);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.length).array());
        out.writeBytes(MAGIC);
        return out.toByteArray();
    }

    private static byte[] footer(TablePayload p, List<Chunk> chunks) {
        Schema schema = p.schema();
        ThriftCompactWriter w = new ThriftCompactWriter().i32(1, 2);
        w.list(2, ThriftCompactWriter.STRUCT, chunks.size() + 1);
        w.element().string(4, "schema").i32(5, chunks.size()).end();
        for (Field f : schema.getFields()) {
            w.element().i32(1, ParquetColumnEncoder.physical(f.getType()));
            ParquetColumnEncoder.typeLength(w, f.getType());
            w.i32(3, 1).string(4, f.getName()); // OPTIONAL
            ParquetColumnEncoder.annotations(w, f.getType());
            w.end();
        }
        w.i64(3, p.rowCount());
        w.list(4, ThriftCompactWriter.STRUCT, 1).element();
        w.list(1, ThriftCompactWriter.STRUCT, chunks.size());
        long total = 0, compressed = 0;
        for (Chunk c : chunks) {
            w.element().i64(2, c.offset()).struct(3)
                    .i32(1, ParquetColumnEncoder.physical(c.field().getType()))
                    .list(2, ThriftCompactWriter.I32, 2).elementI32(ENCODING_PLAIN).elementI32(ENCODING_RLE)
                    .list(3, ThriftCompactWriter.BINARY, 1).elementString(c.field().getName())
                    .i32(4, CODEC_ZSTD).i64(5, p.rowCount()).i64(6, c.uncompressed()).i64(7, c.compressed())
                    .i64(9, c.offset()).end().end();
            total += c.uncompressed();
            compressed += c.compressed();
        }
        w.i64(2, total).i64(3, p.rowCount());
        if (!chunks.isEmpty()) w.i64(5, chunks.getFirst().offset());
        w.i64(6, compressed).end();
        w.list(5, ThriftCompactWriter.STRUCT, 1).element().string(1, ParquetArrowSchema.ARROW_SCHEMA_KEY)
                .string(2, Base64.getEncoder().encodeToString(ArrowSchemas.serialize(schema))).end();
        w.string(6, "tiled-gateway");
        return w.finish();
    }

    /** Definition levels (1 = present) as one bit-packed RLE-hybrid run, with its 4-byte length prefix. */
    private static byte[] definitionLevels(ColumnView c) {
        int groups = (c.size() + 7) / 8;
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        long header = (long) groups << 1 | 1;
        while ((header & ~0x7FL) != 0) {
            run.write((int) (header & 0x7F) | 0x80);
            header >>>= 7;
        }
        run.write((int) header);
        byte[] bits = new byte[groups];
        for (int i = 0; i < c.size(); i++) if (!c.isNull(i)) bits[i / 8] |= (byte) (1 << (i % 8));
        run.writeBytes(bits);
        return concat(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(run.size()).array(), run.toByteArray());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
