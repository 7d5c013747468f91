package dev.tiledgateway.formats.zarr.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.structure.DataType;

import java.util.ArrayList;
import java.util.List;

/** A chain of codecs: array-to-array codecs, one array-to-bytes codec, then bytes-to-bytes codecs. */
public final class CodecPipeline {

    private final List<ArrayArrayCodec> arrayArray;
    private final ArrayBytesCodec arrayBytes;
    private final List<BytesBytesCodec> bytesBytes;

    public CodecPipeline(List<ArrayArrayCodec> arrayArray, ArrayBytesCodec arrayBytes, List<BytesBytesCodec> bytesBytes) {
        this.arrayArray = List.copyOf(arrayArray);
        this.arrayBytes = arrayBytes;
        this.bytesBytes = List.copyOf(bytesBytes);
    }

    /** The pipeline a v3 {@code codecs} array describes, for chunks of {@code ctx}'s shape. */
    public static CodecPipeline v3(JsonNode codecs, CodecContext ctx) {
        if (!codecs.isArray() || codecs.isEmpty()) throw new IllegalArgumentException("codecs must be a non-empty array, got " + codecs);
        List<ArrayArrayCodec> aa = new ArrayList<>();
        ArrayBytesCodec ab = null;
        List<BytesBytesCodec> bb = new ArrayList<>();
        CodecContext stage = ctx;
        for (JsonNode entry : codecs) {
            Object codec = CodecRegistry.v3(entry, stage);
            if (codec instanceof ArrayArrayCodec a) {
                if (ab != null) throw new IllegalArgumentException("array-to-array codec after the array-to-bytes codec: " + entry);
                aa.add(a);
                stage = stage.withShape(a.encodedSpec(new ChunkSpec(stage.chunkShape(), stage.itemsize(), new byte[stage.itemsize()])).shape());
            } else if (codec instanceof ArrayBytesCodec a) {
                if (ab != null) throw new IllegalArgumentException("more than one array-to-bytes codec: " + entry);
                ab = a;
            } else if (codec instanceof BytesBytesCodec b) {
                if (ab == null) throw new IllegalArgumentException("bytes-to-bytes codec before the array-to-bytes codec: " + entry);
                bb.add(b);
            } else {
                throw new IllegalArgumentException("not a codec: " + entry);
            }
        }
        if (ab == null) throw new IllegalArgumentException("codecs lack an array-to-bytes codec (bytes or sharding_indexed)");
        return new CodecPipeline(aa, ab, bb);
    }

    /** Decodes one stored chunk to C-order bytes of {@code spec}; any codec failure is a CorruptDataException. */
    public byte[] decode(byte[] encoded, ChunkSpec spec) throws CorruptDataException {
        try {
            byte[] b = encoded;
            for (int i = bytesBytes.size() - 1; i >= 0; i--) b = bytesBytes.get(i).decode(b);
            ChunkSpec[] specs = new ChunkSpec[arrayArray.size() + 1];
            specs[0] = spec;
            for (int i = 0; i < arrayArray.size(); i++) specs[i + 1] = arrayArray.get(i).encodedSpec(specs[i]);
            b = arrayBytes.decode(b, specs[arrayArray.size()]);
            for (int i = arrayArray.size() - 1; i >= 0; i--) b = arrayArray.get(i).decode(b, specs[i]);
            return b;
        } catch (RuntimeException e) {
            throw new CorruptDataException("chunk cannot be decoded: " + e, e);
        }
    }

    /** Byte order of stored elements (from the array-to-bytes codec), null if unspecified. */
    public DataType.Endianness endianness() { return arrayBytes.endianness(); }

    public ArrayBytesCodec arrayBytes() { return arrayBytes; }

    /** True when the array-to-bytes codec is the only codec (the case where sharding reads inner chunks directly). */
    public boolean isArrayBytesOnly() { return arrayArray.isEmpty() && bytesBytes.isEmpty(); }

    /**
     * Where the elements of a decoded chunk of {@code spec} lie in its stored bytes, when storing only lays them out
     * (transpose codecs, then the {@code bytes} codec, nothing after it): the element stride of each decoded axis, so
     * that ranges of a stored chunk can be read without decoding it. Null when the stored bytes must be decoded.
     */
    public long[] rawStrides(ChunkSpec spec) {
        if (!bytesBytes.isEmpty() || !(arrayBytes instanceof BytesCodec)) return null;
        int n = spec.shape().length;
        int[] axis = new int[n]; // axis[k]: the decoded axis that axis k of the array at this stage is
        for (int k = 0; k < n; k++) axis[k] = k;
        ChunkSpec stage = spec;
        for (ArrayArrayCodec c : arrayArray) {
            if (!(c instanceof TransposeCodec t)) return null;
            axis = t.permuted(axis);
            stage = c.encodedSpec(stage);
        }
        long[] stored = dev.tiledgateway.core.array.ChunkedArray.cOrderStrides(stage.shape());
        long[] strides = new long[n];
        for (int k = 0; k < n; k++) strides[axis[k]] = stored[k];
        return strides;
    }

    /** The encoded size of a chunk of {@code spec}, or -1 if it depends on the content. */
    public long encodedSize(ChunkSpec spec) {
        if (!(arrayBytes instanceof BytesCodec)) return -1;
        long n = spec.byteLength();
        for (BytesBytesCodec b : bytesBytes) {
            n = b.encodedSize(n);
            if (n < 0) return -1;
        }
        return n;
    }
}
