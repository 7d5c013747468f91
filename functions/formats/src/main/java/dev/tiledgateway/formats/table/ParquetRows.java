package dev.tiledgateway.formats.table;

import dev.hardwood.HardwoodContext;
import dev.hardwood.reader.ColumnReaders;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.schema.ColumnProjection;
import dev.hardwood.schema.FileSchema;
import dev.tiledgateway.core.array.CorruptDataException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the rows of one or more Parquet files, in order, into one {@link TablePayload} of a given schema. */
final class ParquetRows {

    private ParquetRows() {}

    /**
     * One decoding context for every read. {@code ParquetFileReader.open(file)} without one makes its own: a thread
     * pool started for the file and shut down (awaited) when it closes, which was most of a partition read.
     */
    private static final class Shared {
        static final HardwoodContext CONTEXT = HardwoodContext.create(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    private static ParquetFileReader open(BlobInputFile.Opener files, String key) throws IOException {
        return ParquetFileReader.open(files.open(key), Shared.CONTEXT);
    }

    /** Opens {@code key} and returns its Arrow schema (footer only). */
    static Schema schema(BlobInputFile.Opener files, String key) throws IOException {
        try (ParquetFileReader r = open(files, key)) {
            return ParquetArrowSchema.of(r.getFileSchema(), r.getFileMetaData().keyValueMetadata());
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(key, e);
        }
    }

    /** All rows of the files at {@code keys}, with the columns of {@code schema} (a projection of the files' schema). */
    static TablePayload read(BlobInputFile.Opener files, List<String> keys, Schema schema) throws IOException {
        return read(files, keys, schema, null, null);
    }

    /**
     * The same, taking the columns of a part from {@code kept} (by {@code owner}, the table they were read for) when
     * they are there, decoding only the others (one pass over the part) and keeping them.
     */
    static TablePayload read(BlobInputFile.Opener files, List<String> keys, Schema schema, DecodedColumns kept, Object owner)
            throws IOException {
        List<Field> fields = schema.getFields();
        List<ColumnBuilder> builders = null;
        long rows = 0;
        for (String key : keys) {
            ColumnBuilder[] part = part(files, key, schema, kept, owner);
            if (builders == null && keys.size() == 1) {
                builders = List.of(part); // one part: its columns as they are (building only reads them)
            } else {
                if (builders == null) {
                    builders = new ArrayList<>();
                    for (Field f : fields) builders.add(new ColumnBuilder(f));
                }
                for (int i = 0; i < part.length; i++) builders.get(i).appendAll(part[i]);
            }
            rows += fields.isEmpty() ? partRows(files, key) : part[0].size();
        }
        if (builders == null) { // no parts (an appendable partition before its first append): no rows
            builders = new ArrayList<>();
            for (Field f : fields) builders.add(new ColumnBuilder(f));
        }
        if (rows > Integer.MAX_VALUE) throw new CorruptDataException("more than 2^31 rows in one read");
        BufferAllocator allocator = TablePayload.newAllocator();
        List<FieldVector> vectors = new ArrayList<>();
        List<Dictionary> dictionaries = new ArrayList<>();
        try {
            for (ColumnBuilder b : builders) vectors.add(b.build(allocator, dictionaries));
            return TablePayload.of(schema, ArrowSchemas.indexColumns(schema), vectors, dictionaries, (int) rows, allocator);
        } catch (RuntimeException e) {
            vectors.forEach(FieldVector::close);
            dictionaries.forEach(d -> d.getVector().close());
            allocator.close();
            throw e;
        }
    }

    /** The columns of {@code schema} in the part at {@code key}: those kept, and the others decoded (and then kept). */
    private static ColumnBuilder[] part(BlobInputFile.Opener files, String key, Schema schema, DecodedColumns kept, Object owner)
            throws IOException {
        List<Field> fields = schema.getFields();
        ColumnBuilder[] out = new ColumnBuilder[fields.size()];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            out[i] = kept == null ? null : kept.get(owner, key, fields.get(i));
            if (out[i] == null) missing.add(i);
        }
        if (missing.isEmpty()) {
            for (ColumnBuilder b : out) {
                if (b.size() != out[0].size()) throw new CorruptDataException("the columns of '" + key + "' differ in length");
            }
            return out;
        }
        List<Field> sub = new ArrayList<>();
        List<ColumnBuilder> fresh = new ArrayList<>();
        for (int i : missing) {
            sub.add(fields.get(i));
            fresh.add(new ColumnBuilder(fields.get(i)));
        }
        long fileRows = readFile(files, key, new Schema(sub, schema.getCustomMetadata()), fresh, 0);
        for (int j = 0; j < fresh.size(); j++) {
            ColumnBuilder b = fresh.get(j);
            b.trim();
            out[missing.get(j)] = b;
            if (kept != null) kept.put(owner, key, sub.get(j), b);
        }
        for (ColumnBuilder b : out) {
            if (b.size() != fileRows) throw new CorruptDataException("the columns of '" + key + "' differ in length");
        }
        return out;
    }

    private static long partRows(BlobInputFile.Opener files, String key) throws IOException {
        return readFile(files, key, new Schema(List.of()), List.of(), 0);
    }

    private static long readFile(BlobInputFile.Opener files, String key, Schema schema, List<ColumnBuilder> builders, long before)
            throws IOException {
        try (ParquetFileReader r = open(files, key)) {
            long fileRows = r.getFileMetaData().numRows();
            FileSchema fs = r.getFileSchema();
            String[] names = new String[builders.size()];
            int[] indices = new int[builders.size()];
            boolean dotted = false;
            for (int i = 0; i < names.length; i++) {
                names[i] = schema.getFields().get(i).getName();
                indices[i] = indexOf(fs, names[i]);
                if (indices[i] < 0) throw new CorruptDataException("Parquet part '" + key + "' has no column '" + names[i] + "'");
                dotted |= names[i].indexOf('.') >= 0;
            }
            if (dotted) {
                // hardwood resolves a projected "a.b" as a nested path: decode every column, take ours by index
                try (ColumnReaders readers = r.columnReaders(ColumnProjection.all())) {
                    while (readers.nextBatch()) {
                        for (int i = 0; i < names.length; i++) builders.get(i).append(readers.getColumnReader(indices[i]));
                    }
                }
            } else if (names.length > 0) {
                // all projected columns in one pass: one decoding pipeline for the file, not one per column
                try (ColumnReaders readers = r.columnReaders(ColumnProjection.columns(names))) {
                    while (readers.nextBatch()) {
                        for (int i = 0; i < names.length; i++) builders.get(i).append(readers.getColumnReader(names[i]));
                    }
                }
            }
            for (int i = 0; i < names.length; i++) {
                if (builders.get(i).size() != before + fileRows)
                    throw new CorruptDataException("column '" + names[i] + "' of '" + key + "' does not have " + fileRows + " rows");
            }
            return fileRows;
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(key, e);
        }
    }

    private static int indexOf(FileSchema fs, String name) {
        for (int i = 0; i < fs.getColumnCount(); i++) if (fs.getColumn(i).name().equals(name)) return i;
        return -1;
    }

    private static CorruptDataException corrupt(String key, Exception e) {
        return new CorruptDataException("cannot read Parquet object '" + key + "': " + e.getMessage(), e);
    }
}
