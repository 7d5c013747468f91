package dev.tiledgateway.formats.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.write.TableWriter;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stores the table partitions written through the API as Parquet ({@link ParquetFileWriter}), one file per
 * partition, from the Arrow IPC files the client sends: the Arrow schema (pandas metadata, index columns) goes into
 * the file, so {@link ParquetTableReader} gives the client back the DataFrame it wrote, index included.
 */
public final class ParquetTableWriter implements TableWriter {

    @Override
    public Set<String> mimetypes() { return Set.of(ParquetTableReader.MIMETYPE); }

    @Override
    public String suffix() { return ".parquet"; }

    @Override
    public Optional<String> refusal(JsonNode structure) {
        Schema schema;
        try {
            schema = declared(structure);
        } catch (TiledException e) {
            return Optional.of(e.detail());
        }
        JsonNode columns = structure.get("columns");
        if (columns != null && columns.isArray()) {
            List<String> sent = new ArrayList<>();
            columns.forEach(c -> sent.add(c.asText()));
            List<String> visible = sent.stream().filter(c -> !c.startsWith("_")).toList();
            if (!visible.equals(ArrowSchemas.columns(schema)))
                return Optional.of("The structure's columns " + sent + " are not those of its arrow_schema " + ArrowSchemas.columns(schema));
        }
        try (TablePayload empty = empty(schema)) {
            ParquetFileWriter.write(empty);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("A table of this schema cannot be stored as Parquet: " + e.getMessage());
        }
    }

    @Override
    public void writeEmpty(BlobStore store, String key, JsonNode structure) throws IOException {
        try (TablePayload empty = empty(declared(structure))) {
            store.put(key, ParquetFileWriter.write(empty));
        }
    }

    @Override
    public void writePartition(BlobStore store, String key, JsonNode structure, byte[] arrowFile) throws IOException {
        Schema declared = declared(structure);
        try (TablePayload p = read(arrowFile)) {
            List<String> want = ArrowSchemas.columns(declared), got = ArrowSchemas.columns(p.schema());
            if (!want.equals(got))
                throw TiledException.unprocessable("The Arrow file has the columns " + got + "; the table was created with " + want);
            List<String> wrong = new ArrayList<>();
            for (String c : want) {
                var a = declared.findField(c).getType();
                var b = p.schema().findField(c).getType();
                if (!a.equals(b)) wrong.add(c + " is " + b + ", declared " + a);
            }
            if (!wrong.isEmpty()) throw TiledException.unprocessable("The Arrow file's column types differ from the table's: " + String.join("; ", wrong));
            byte[] parquet;
            try {
                parquet = ParquetFileWriter.write(p);
            } catch (RuntimeException e) {
                throw TiledException.unprocessable("The table cannot be stored as Parquet: " + e.getMessage());
            }
            store.put(key, parquet);
        }
    }

    /** The schema of a table structure's {@code arrow_schema} data URI; 422 when there is none or it does not decode. */
    static Schema declared(JsonNode structure) {
        JsonNode uri = structure == null ? null : structure.get("arrow_schema");
        if (uri == null || !uri.isTextual() || !uri.asText().startsWith(ArrowSchemas.DATA_URI_PREFIX))
            throw TiledException.unprocessable("The table structure needs an arrow_schema: " + ArrowSchemas.DATA_URI_PREFIX + "...");
        try {
            byte[] bytes = Base64.getDecoder().decode(uri.asText().substring(ArrowSchemas.DATA_URI_PREFIX.length()));
            return MessageSerializer.deserializeSchema(new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes))));
        } catch (IOException | RuntimeException e) {
            throw TiledException.unprocessable("The table structure's arrow_schema is not an Arrow schema message in base64");
        }
    }

    /** The rows of an Arrow IPC file, its schema in message form (dictionary fields typed by their values). */
    static TablePayload read(byte[] file) {
        BufferAllocator allocator = TablePayload.newAllocator();
        List<FieldVector> vectors = new ArrayList<>();
        List<Dictionary> dictionaries = new ArrayList<>();
        try (ArrowFileReader r = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(file), allocator)) {
            VectorSchemaRoot batch = r.getVectorSchemaRoot();
            Map<Long, Dictionary> dicts = r.getDictionaryVectors();
            int batches = r.getRecordBlocks().size();
            if (batches > 1 && !dicts.isEmpty())
                throw TiledException.unprocessable("An Arrow file with dictionary columns must hold one record batch; this one has " + batches);
            VectorSchemaRoot all = VectorSchemaRoot.create(batch.getSchema(), allocator);
            try {
                all.allocateNew();
                while (r.loadNextBatch()) VectorSchemaRootAppender.append(all, batch);
                for (Dictionary d : dicts.values()) {
                    TransferPair t = d.getVector().getTransferPair(allocator);
                    t.transfer();
                    dictionaries.add(new Dictionary((FieldVector) t.getTo(), d.getEncoding()));
                }
            } catch (RuntimeException e) {
                all.close();
                throw e;
            }
            vectors.addAll(all.getFieldVectors());
            Schema schema = messageSchema(batch.getSchema(), dictionaries);
            return TablePayload.of(schema, ArrowSchemas.indexColumns(schema), vectors, dictionaries, all.getRowCount(), allocator);
        } catch (TiledException e) {
            release(vectors, dictionaries, allocator);
            throw e;
        } catch (IOException | RuntimeException e) {
            release(vectors, dictionaries, allocator);
            throw TiledException.unprocessable("The body is not an Arrow IPC file (as pyarrow.ipc.new_file writes it): " + e.getMessage());
        }
    }

    private static void release(List<FieldVector> vectors, List<Dictionary> dictionaries, BufferAllocator allocator) {
        vectors.forEach(FieldVector::close);
        dictionaries.forEach(d -> d.getVector().close());
        try {
            allocator.close();
        } catch (RuntimeException ignored) {
            // memory still held by a failed read is released when the JVM collects it
        }
    }

    /** The memory-form schema (dictionary fields typed by their indices) back in message form. */
    private static Schema messageSchema(Schema memory, List<Dictionary> dictionaries) {
        List<Field> fields = new ArrayList<>();
        for (Field f : memory.getFields()) {
            DictionaryEncoding enc = f.getDictionary();
            if (enc == null) {
                fields.add(f);
                continue;
            }
            Field values = dictionaries.stream().filter(d -> d.getEncoding().getId() == enc.getId()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no dictionary " + enc.getId())).getVector().getField();
            fields.add(new Field(f.getName(), new FieldType(f.isNullable(), values.getType(), enc, f.getMetadata()), values.getChildren()));
        }
        return new Schema(fields, memory.getCustomMetadata());
    }

    /** A payload of no rows with the columns of a message-form schema. */
    static TablePayload empty(Schema schema) {
        BufferAllocator allocator = TablePayload.newAllocator();
        List<FieldVector> vectors = new ArrayList<>();
        List<Dictionary> dictionaries = new ArrayList<>();
        try {
            for (Field f : schema.getFields()) {
                DictionaryEncoding enc = f.getDictionary();
                if (enc == null) {
                    vectors.add(f.createVector(allocator));
                    continue;
                }
                Field index = new Field(f.getName(), new FieldType(f.isNullable(), enc.getIndexType(), enc, f.getMetadata()), null);
                vectors.add(index.createVector(allocator));
                Field values = new Field(f.getName(), new FieldType(f.isNullable(), f.getType(), null), f.getChildren());
                FieldVector dv = values.createVector(allocator);
                dv.setValueCount(0);
                dictionaries.add(new Dictionary(dv, enc));
            }
            for (FieldVector v : vectors) {
                v.allocateNew();
                v.setValueCount(0);
            }
            return TablePayload.of(schema, ArrowSchemas.indexColumns(schema), vectors, dictionaries, 0, allocator);
        } catch (RuntimeException e) {
            release(vectors, dictionaries, allocator);
            throw e;
        }
    }
}
