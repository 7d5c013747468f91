package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.testkit.MotoServer;
import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.store.S3BlobStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Catalogs on the shared moto server, each on a fresh table: moto copies a whole table for every
 * transaction, so small tables keep the tests fast.
 */
final class MotoCatalogs {

    static final String BUCKET = "moto-catalog";

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static DynamoDbClient dynamo;
    private static S3Client s3;
    private static S3BlobStore spill;

    private MotoCatalogs() {}

    static synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            AwsClients clients = AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint());
            dynamo = clients.dynamo();
            s3 = clients.s3();
            AwsBackendFactory.createBucket(s3, BUCKET, clients.region());
            spill = new S3BlobStore(s3, null, BUCKET, "catalog/");
        }
        return dynamo;
    }

    static synchronized S3BlobStore spillStore() {
        dynamo();
        return spill;
    }

    static String newTable(String name) {
        String table = name + "-" + TABLES.incrementAndGet();
        CatalogTable.createIfMissing(dynamo(), table);
        return table;
    }

    static DynamoDbCatalog fresh(String name) {
        return fresh(name, NodeCodec.DEFAULT_SPILL_THRESHOLD, DynamoDbCatalog.DEFAULT_TALLY_BLOCK);
    }

    static DynamoDbCatalog fresh(String name, int spillThreshold, int tallyBlock) {
        return new DynamoDbCatalog(dynamo(), newTable(name), spillStore(), spillThreshold, tallyBlock);
    }
}
