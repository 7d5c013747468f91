package dev.tiledgateway.aws.store;

import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.Http;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.testkit.BlobStoreContract;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The BlobStore contract against s3proxy (in-process, jclouds' in-memory store). Unlike moto it checks
 * signatures, so presigned URLs are really verified: a tampered one is refused. It needs nothing outside the JVM,
 * so it is not tagged "emulator" and runs also where moto's tests are excluded.
 */
class S3BlobStoreS3ProxyTest extends BlobStoreContract {

    private static final String BUCKET = "s3proxy-store";

    private static S3Proxy proxy;
    private static BlobStoreContext context;
    private static S3BlobStore store;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("identity", "credential").build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access-key", "secret-key")
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            Thread.sleep(10);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        AwsClients clients = AwsClients.emulated(endpoint, endpoint)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("access-key", "secret-key")));
        var s3 = clients.s3();
        AwsBackendFactory.createBucket(s3, BUCKET, clients.region());
        store = new S3BlobStore(s3, clients.presigner(), BUCKET, "tenant/");
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (proxy != null) proxy.stop();
        if (context != null) context.close();
    }

    @Override
    protected BlobStore store() { return store; }

    @Override
    protected boolean presigns() { return true; }

    @Override
    protected byte[] download(URI uri) throws IOException { return Http.download(uri); }

    @Test
    void aTamperedPresignedUrlIsRefused() throws IOException {
        store.put(p + "a", "A".getBytes(StandardCharsets.UTF_8));
        store.put(p + "b", "B".getBytes(StandardCharsets.UTF_8));
        URI signed = store.presignGet(p + "a", Duration.ofMinutes(1)).orElseThrow();
        URI other = URI.create(signed.toString().replace("/" + p + "a?", "/" + p + "b?"));
        HttpResponse<byte[]> r = Http.get(other);
        assertNotEquals(200, r.statusCode());
        assertEquals(403, r.statusCode());
    }
}
