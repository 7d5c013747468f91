package dev.tiledgateway.indexer;

import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.Tag;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.concurrent.atomic.AtomicInteger;

/** The indexer on the AWS adapters: S3 and DynamoDB emulated by moto, a fresh table and key prefix per test. */
@Tag("emulator")
class MotoIndexerTest extends IndexerContract {

    static final String BUCKET = "indexer-moto";
    private static final AtomicInteger N = new AtomicInteger();
    private static DynamoDbClient dynamo;
    private static S3Client s3;

    static synchronized AwsClients clients() {
        AwsClients c = AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint());
        if (dynamo == null) {
            dynamo = c.dynamo();
            s3 = c.s3();
            AwsBackendFactory.createBucket(s3, BUCKET, c.region());
        }
        return c;
    }

    @Override
    protected Env freshEnv() {
        clients();
        int n = N.incrementAndGet();
        String table = "indexer-" + n;
        CatalogTable.createIfMissing(dynamo, table);
        String prefix = "t" + n + "/";
        S3BlobStore store = new S3BlobStore(s3, null, BUCKET, prefix);
        return new Env(new DynamoDbCatalog(dynamo, table, store), store, BUCKET, prefix);
    }

    /**
     * moto serialises requests (MotoServer) at several ms each and copies a table per transaction: 1,000
     * uploads take about 3 minutes here, so the default run uses 300; -Dindexer.motoBurst=1000 for more.
     */
    @Override
    protected int burstSize() { return Integer.getInteger("indexer.motoBurst", 300); }
}
