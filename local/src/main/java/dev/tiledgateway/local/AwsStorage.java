package dev.tiledgateway.local;

import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.aws.store.S3BlobStore;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;

/**
 * A bucket and a DynamoDB table for a command, opened after checks that say in one line what is wrong: a bucket or
 * table that does not exist (and how to have it created), an endpoint that cannot be reached, credentials refused.
 *
 * <p>The served data are the objects under {@code prefix}; what the gateway writes itself (materialised results
 * under {@code _results/}, catalog documents too large for an item under {@code catalog-spill/}) goes to its own
 * prefixes at the top of the bucket, outside the data.
 *
 * @param data    the objects under the served prefix (store keys relative to it)
 * @param root    the whole bucket: where results and spilled catalog documents go
 */
record AwsStorage(AwsClients clients, URI s3Endpoint, S3Client s3, String bucket, String prefix, String table,
                  S3BlobStore data, S3BlobStore root, DynamoDbCatalog catalog) {

    static AwsStorage open(String s3Endpoint, String dynamoEndpoint, String bucket, String prefix, String table, boolean create)
            throws UnavailableException {
        URI s3Uri = s3Endpoint == null ? null : URI.create(s3Endpoint);
        URI dynamoUri = dynamoEndpoint == null ? null : URI.create(dynamoEndpoint);
        AwsClients clients = AwsClients.fromEnv(System.getenv(), s3Uri, dynamoUri);
        S3Client s3 = clients.s3();
        DynamoDbClient dynamo = clients.dynamo();
        String s3Where = s3Uri == null ? "S3" : "S3 at " + s3Uri;
        String dynamoWhere = dynamoUri == null ? "DynamoDB" : "DynamoDB at " + dynamoUri;
        try {
            return open(clients, s3, dynamo, s3Uri, s3Where, dynamoWhere, bucket, prefix, table, create);
        } catch (UnavailableException e) {
            s3.close();
            dynamo.close();
            throw e;
        }
    }

    private static AwsStorage open(AwsClients clients, S3Client s3, DynamoDbClient dynamo, URI s3Uri, String s3Where, String dynamoWhere,
                                   String bucket, String prefix, String table, boolean create) throws UnavailableException {
        try {
            if (create) AwsBackendFactory.createBucket(s3, bucket, clients.region());
            else s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) throw new UnavailableException("the bucket " + bucket + " does not exist in " + s3Where
                    + ": create it, or add --create-resources to have it created");
            if (e.statusCode() == 403) throw new UnavailableException(s3Where + " refuses access to the bucket " + bucket + " (403): check the credentials");
            throw new UnavailableException("cannot use the bucket " + bucket + " in " + s3Where + ": " + oneLine(e));
        } catch (IllegalStateException e) { // from createBucket, around the SDK's exception
            if (e.getCause() instanceof SdkClientException c) throw new UnavailableException("cannot reach " + s3Where + ": " + oneLine(c));
            throw new UnavailableException("cannot create the bucket " + bucket + " in " + s3Where + ": " + oneLine(e.getCause() != null ? e.getCause() : e));
        } catch (SdkException e) {
            throw new UnavailableException("cannot reach " + s3Where + ": " + oneLine(e));
        }
        try {
            if (create) CatalogTable.createIfMissing(dynamo, table);
            else dynamo.describeTable(b -> b.tableName(table));
        } catch (ResourceNotFoundException e) {
            throw new UnavailableException("the DynamoDB table " + table + " does not exist in " + dynamoWhere
                    + ": add --create-resources to have it created");
        } catch (SdkClientException e) {
            throw new UnavailableException("cannot reach " + dynamoWhere + ": " + oneLine(e));
        } catch (RuntimeException e) {
            throw new UnavailableException("cannot use the table " + table + " in " + dynamoWhere + ": " + oneLine(e));
        }
        S3BlobStore root = new S3BlobStore(s3, clients.presigner(), bucket, "", clients.transfers());
        S3BlobStore data = prefix.isEmpty() ? root : new S3BlobStore(s3, clients.presigner(), bucket, prefix, clients.transfers());
        DynamoDbCatalog catalog = new DynamoDbCatalog(dynamo, table, root);
        try {
            if (create) catalog.ensureRoot();
        } catch (RuntimeException e) {
            throw new UnavailableException("cannot write the catalog root into " + table + ": " + oneLine(e));
        }
        return new AwsStorage(clients, s3Uri, s3, bucket, prefix, table, data, root, catalog);
    }

    /** s3://bucket/prefix */
    String url() { return "s3://" + bucket + "/" + prefix; }

    /** An exception's message without the SDK's appended request details, on one line. */
    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t.getMessage().startsWith("Unable to execute HTTP request")))
            t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int details = m.indexOf(" (Service:");
        if (details > 0) m = m.substring(0, details);
        return m.replace('\n', ' ').strip();
    }
}
