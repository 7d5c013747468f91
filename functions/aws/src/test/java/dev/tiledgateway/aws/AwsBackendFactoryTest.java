package dev.tiledgateway.aws;

import dev.tiledgateway.testkit.MotoServer;
import dev.tiledgateway.aws.catalog.CatalogTable;
import dev.tiledgateway.aws.catalog.DynamoDbCatalog;
import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.backend.BackendFactory;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsBackendFactoryTest {

    @Test
    void declinesAnEnvironmentThatDoesNotNameBucketOrTable() {
        assertEquals(Optional.empty(), new AwsBackendFactory().create(Map.of("TILED_GATEWAY_DATA_DIR", "x")));
    }

    @Test
    void refusesHalfAConfiguration() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AwsBackendFactory().create(Map.of(AwsBackendFactory.BUCKET, "b")));
        assertTrue(e.getMessage().contains(AwsBackendFactory.TABLE), e.getMessage());
    }

    @Test
    void credentialsAndRegionComeFromTheGivenEnvironment() {
        AwsClients c = AwsClients.fromEnv(Map.of("AWS_REGION", "eu-west-3", "AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret"), null, null);
        assertEquals("eu-west-3", c.region().id());
        assertEquals("id", c.credentials().resolveIdentity().join().accessKeyId());
        assertEquals("us-east-1", AwsClients.fromEnv(Map.of(), null, null).region().id());
    }

    @Test
    void anEndpointIsOursElseTheServicesSdkVariableElseTheGlobalOneThatLocalStackSetsInItsFunctions() {
        String ours = AwsBackendFactory.S3_ENDPOINT;
        assertEquals(null, AwsClients.endpoint(Map.of(), ours, "AWS_ENDPOINT_URL_S3"), "AWS's own endpoint");
        assertEquals(java.net.URI.create("http://localhost.localstack.cloud:4566"),
                AwsClients.endpoint(Map.of("AWS_ENDPOINT_URL", "http://localhost.localstack.cloud:4566"), ours, "AWS_ENDPOINT_URL_S3"));
        assertEquals(java.net.URI.create("http://s3.local:9000"), AwsClients.endpoint(
                Map.of("AWS_ENDPOINT_URL", "http://all:1", "AWS_ENDPOINT_URL_S3", "http://s3.local:9000"), ours, "AWS_ENDPOINT_URL_S3"));
        assertEquals(java.net.URI.create("http://ours:2"), AwsClients.endpoint(
                Map.of("AWS_ENDPOINT_URL", "http://all:1", "AWS_ENDPOINT_URL_S3", " ", ours, "http://ours:2"), ours, "AWS_ENDPOINT_URL_S3"));
    }

    @Tag("emulator")
    @Test
    void createsBucketAndTableWhenAskedAndIsFoundThroughServiceLoader() throws IOException {
        String endpoint = MotoServer.shared().endpoint().toString();
        Map<String, String> env = Map.of(
                AwsBackendFactory.BUCKET, "factory-bucket",
                AwsBackendFactory.PREFIX, "gw",
                AwsBackendFactory.TABLE, "factory-table",
                "AWS_ENDPOINT_URL_S3", endpoint,
                AwsBackendFactory.DYNAMODB_ENDPOINT, endpoint,
                AwsBackendFactory.CREATE_RESOURCES, "true");
        Backend backend = BackendFactory.fromEnvironment(env);
        assertInstanceOf(DynamoDbCatalog.class, backend.catalog());
        S3BlobStore store = assertInstanceOf(S3BlobStore.class, backend.store());
        assertEquals("gw/", store.prefix());
        assertSame(backend, new AwsBackendFactory().create(env).orElseThrow(), "built once per configuration");

        var clients = AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint());
        var table = clients.dynamo().describeTable(b -> b.tableName("factory-table")).table();
        assertEquals(BillingMode.PAY_PER_REQUEST, table.billingModeSummary().billingMode());
        assertEquals(List.of(CatalogTable.BY_SEQ), table.localSecondaryIndexes().stream().map(LocalSecondaryIndexDescription::indexName).toList());

        backend.store().put("hello", new byte[] {42});
        assertArrayEquals(new byte[] {42}, clients.s3().getObjectAsBytes(b -> b.bucket("factory-bucket").key("gw/hello")).asByteArray());
        backend.catalog().put(Node.container(NodePath.of("top"), Json.object(), List.of()));
        assertEquals(1, backend.catalog().countChildren(NodePath.ROOT));

        Backend local = AwsBackendFactory.create(endpoint, endpoint, "factory-bucket-2", "factory-table-2", true);
        assertTrue(local.catalog().get(NodePath.ROOT).orElseThrow().isContainer());
        local.store().put("x", new byte[0]);
        assertEquals(Optional.of(0L), local.store().size("x"));
    }
}
