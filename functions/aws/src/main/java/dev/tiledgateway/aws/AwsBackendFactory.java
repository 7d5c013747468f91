package dev.tiledgateway.aws;

import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.DynamoDbApiKeyStore;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.backend.BackendFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AWS backend: an {@link S3BlobStore} and a {@link DynamoDbCatalog}, configured by
 * {@code TILED_GATEWAY_BUCKET}, {@code TILED_GATEWAY_PREFIX} (optional), {@code TILED_GATEWAY_TABLE},
 * optional endpoints {@code TILED_GATEWAY_S3_ENDPOINT} / {@code TILED_GATEWAY_DYNAMODB_ENDPOINT}
 * (or the SDK's {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL_DYNAMODB}, else {@code AWS_ENDPOINT_URL}), {@code AWS_REGION}
 * (default us-east-1), and {@code TILED_GATEWAY_CREATE_RESOURCES=true} to create bucket and table.
 *
 * <p>Backends are built once per configuration and process: the SDK clients live as long as the
 * execution environment, as Lambda wants.
 */
public final class AwsBackendFactory implements BackendFactory {

    public static final String BUCKET = "TILED_GATEWAY_BUCKET";
    public static final String PREFIX = "TILED_GATEWAY_PREFIX";
    public static final String TABLE = "TILED_GATEWAY_TABLE";
    public static final String S3_ENDPOINT = "TILED_GATEWAY_S3_ENDPOINT";
    public static final String DYNAMODB_ENDPOINT = "TILED_GATEWAY_DYNAMODB_ENDPOINT";
    public static final String CREATE_RESOURCES = "TILED_GATEWAY_CREATE_RESOURCES";

    /** What identifies a configuration (credentials aside: a process has one set). */
    private record Key(String region, URI s3, URI dynamo, String bucket, String prefix, String table, boolean create) {}

    private static final Map<Key, Backend> BUILT = new ConcurrentHashMap<>();

    @Override
    public Optional<Backend> create(Map<String, String> env) {
        String bucket = blankToNull(env.get(BUCKET));
        String table = blankToNull(env.get(TABLE));
        if (bucket == null && table == null) return Optional.empty();
        if (bucket == null || table == null)
            throw new IllegalStateException("The AWS backend needs both " + BUCKET + " and " + TABLE + "; only one is set");
        URI s3 = AwsClients.endpoint(env, S3_ENDPOINT, "AWS_ENDPOINT_URL_S3");
        URI dynamo = AwsClients.endpoint(env, DYNAMODB_ENDPOINT, "AWS_ENDPOINT_URL_DYNAMODB");
        boolean createResources = "true".equalsIgnoreCase(env.getOrDefault(CREATE_RESOURCES, "").trim());
        return Optional.of(shared(AwsClients.fromEnv(env, s3, dynamo), bucket, env.getOrDefault(PREFIX, ""), table, createResources));
    }

    /**
     * For the local command: a backend on two emulator endpoints (either may be null for real AWS),
     * with the emulators' dummy credentials when both are given.
     */
    public static Backend create(String s3Endpoint, String dynamoEndpoint, String bucket, String table, boolean createResources) {
        URI s3 = s3Endpoint == null || s3Endpoint.isBlank() ? null : URI.create(s3Endpoint);
        URI dynamo = dynamoEndpoint == null || dynamoEndpoint.isBlank() ? null : URI.create(dynamoEndpoint);
        return shared(AwsClients.fromEnv(System.getenv(), s3, dynamo), bucket, "", table, createResources);
    }

    /** The backend for these settings, built on first use and shared afterwards. */
    private static Backend shared(AwsClients clients, String bucket, String prefix, String table, boolean createResources) {
        Key key = new Key(clients.region().id(), clients.s3Endpoint(), clients.dynamoEndpoint(), bucket, prefix == null ? "" : prefix, table, createResources);
        return BUILT.computeIfAbsent(key, k -> open(clients, bucket, k.prefix(), table, createResources));
    }

    /**
     * A new backend (new SDK clients) for these settings; creates bucket and table first when asked. The S3 client
     * and presigner are built when the store first needs them (see {@link S3BlobStore#opening}), unless the bucket
     * is created here.
     */
    public static Backend open(AwsClients clients, String bucket, String prefix, String table, boolean createResources) {
        DynamoDbClient dynamo = clients.dynamo();
        S3BlobStore store;
        if (createResources) {
            S3Client s3 = clients.s3();
            createBucket(s3, bucket, clients.region());
            CatalogTable.createIfMissing(dynamo, table);
            store = new S3BlobStore(s3, clients.presigner(), bucket, prefix, clients.transfers());
        } else {
            store = S3BlobStore.opening(clients::s3, clients::presigner, bucket, prefix, clients.transfers());
        }
        DynamoDbCatalog catalog = new DynamoDbCatalog(dynamo, table, store);
        if (createResources) catalog.ensureRoot();
        return new Backend(catalog, store, new DynamoDbApiKeyStore(dynamo, table));
    }

    /** Creates the bucket unless this account already has it. */
    public static void createBucket(S3Client s3, String bucket, Region region) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return;
        } catch (S3Exception e) {
            if (e.statusCode() != 404) throw new IllegalStateException("cannot use bucket " + bucket + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot reach S3 for bucket " + bucket + ": " + e.getMessage(), e);
        }
        try {
            s3.createBucket(b -> {
                b.bucket(bucket);
                if (!Region.US_EAST_1.equals(region)) b.createBucketConfiguration(c -> c.locationConstraint(region.id()));
            });
        } catch (BucketAlreadyOwnedByYouException raced) {
            // created meanwhile
        }
    }


    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.trim(); }
}
