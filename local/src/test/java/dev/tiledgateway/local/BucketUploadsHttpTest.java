package dev.tiledgateway.local;

import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.structure.DataType;
import dev.tiledgateway.formats.zarr.V2Compressor;
import dev.tiledgateway.formats.zarr.ZarrV2Writer;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Serving from a bucket: an upload reaches the catalog through the bucket's own notifications (moto delivers
 * S3 -> SQS), the queue and the indexer's handler, as on AWS; a deletion removes the node; data changed in
 * place is served new ({@link ChangedDataContract}).
 */
@Tag("emulator")
class BucketUploadsHttpTest extends ChangedDataContract {

    private static MotoServer moto;
    private static Main.Running running;
    private static Http http;
    private static Backend backend;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        String endpoint = moto.endpoint().toString();
        running = Main.serveDemoOnAws("127.0.0.1", 0, endpoint, endpoint, "uploads-demo", "uploads-catalog", true, true, MAX_INLINE);
        backend = AwsBackendFactory.create(endpoint, endpoint, "uploads-demo", "uploads-catalog", false);
        http = new Http(running);
    }

    @Override
    Http http() { return http; }

    @Override
    dev.tiledgateway.core.store.BlobStore store() { return backend.store(); }

    @AfterAll
    static void stop() {
        running.close(); // the server, and what writes to the bucket (the dynamic array, the queue feeder)
        moto.close();
    }

    @Test
    void anUploadedArrayIsServedAndItsDeletionRemovesIt() throws Exception {
        ZarrV2Writer w = ZarrV2Writer.create(backend.store(), "uploads/fresh.zarr/", DataType.Builtin.parse("<i4"), new long[] {4}, new int[] {4},
                V2Compressor.zstd(1), 0, Map.of("origin", "upload"));
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(2).putInt(3).putInt(4);
        w.writeChunk(new long[] {0}, b.array());
        assertEquals(200, http.await("/api/v1/metadata/uploads/fresh", 200), "registered from the bucket's notification");
        assertEquals("upload", http.json("/api/v1/metadata/uploads/fresh").at("/data/attributes/metadata/origin").asText());
        ByteBuffer got = ByteBuffer.wrap(http.data("/api/v1/array/full/uploads/fresh")).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3, got.getInt(8));
        assertEquals(404, http.get("/api/v1/metadata/demo").statusCode(), "the demo's own objects are not registered twice");
        backend.store().delete("uploads/fresh.zarr/.zarray");
        assertEquals(404, http.await("/api/v1/metadata/uploads/fresh", 404), "removed when its metadata object is deleted");
    }
}
