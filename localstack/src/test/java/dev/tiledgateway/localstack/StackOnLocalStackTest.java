package dev.tiledgateway.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole stack in LocalStack, driven only through AWS's APIs and the HTTP API: {@code infra/template.yaml}
 * packaged (the function jars uploaded, CodeUris pointed at them) and created as a CloudFormation stack, which
 * LocalStack transforms with SAM; a Zarr array written by zarr-python and a Parquet file written by pyarrow
 * uploaded to the stack's bucket; the indexer function registers them from the bucket's notifications; they are
 * read through API Gateway with the key from the stack's secret (401 without one); the table's object is deleted
 * and its node goes.
 *
 * <p>It needs a Docker daemon and a LocalStack license: the stack's HTTP API (API Gateway v2) is not in LocalStack's
 * free edition, and LocalStack's images have needed an auth token to start since 2026. Without either, every test
 * is skipped (a JUnit assumption) and one line says why. {@code LOCALSTACK_IMAGE} picks another image.
 */
@Tag("localstack")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackOnLocalStackTest {

    /** The image docker-compose.yml names too; {@code LOCALSTACK_IMAGE} overrides it. */
    static final String DEFAULT_IMAGE = "localstack/localstack-pro:4.4.0";
    static final String IMAGE = System.getenv().getOrDefault("LOCALSTACK_IMAGE", DEFAULT_IMAGE);
    private static final String STACK = "tiled-gateway";
    private static final String ARTIFACTS = "tiled-gateway-artifacts";
    private static final Duration DEPLOY = Duration.ofMinutes(10);
    /** The first requests start the functions' JVMs in new containers (and pull the java21 image once). */
    private static final Duration REGISTRATION = Duration.ofMinutes(6);

    private static LocalStackContainer localstack;
    private static S3Client s3;
    private static String bucket;
    private static String api;
    private static String key;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Why this suite cannot run here, or null when it can. */
    static String whyNot() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (!docker) return "no Docker daemon is reachable (Testcontainers found none), so LocalStack cannot start";
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token == null || token.isBlank())
            return "LOCALSTACK_AUTH_TOKEN is not set: LocalStack's images need a license, and the stack's HTTP API (API Gateway v2) is not in its free plan";
        return null;
    }

    /** Why the suite is skipped here, or null; each test checks it, so each is reported skipped with the reason. */
    private static String skipped;

    @BeforeAll
    static void deploy() throws Exception {
        skipped = whyNot();
        if (skipped != null) {
            System.err.println("[LOCALSTACK SUITE SKIPPED] StackOnLocalStackTest: " + skipped);
            return;
        }

        localstack = new LocalStackContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("localstack/localstack"))
                .withEnv("LOCALSTACK_AUTH_TOKEN", System.getenv("LOCALSTACK_AUTH_TOKEN"))
                // A Java function's first start in its container can take longer than LocalStack's default wait.
                .withEnv("LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT", "180")
                .withStartupTimeout(Duration.ofMinutes(5));
        localstack.start();
        URI ep = localstack.getEndpoint();
        Region region = Region.of(localstack.getRegion());
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey()));
        s3 = AwsClients.emulated(ep, ep).withCredentials(creds).s3();
        CloudFormationClient cfn = CloudFormationClient.builder().endpointOverride(ep).region(region).credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.create()).build();
        SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(ep).region(region).credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.create()).build();

        // aws cloudformation package: each function's jar into the artifacts bucket, its CodeUri pointing there.
        String template = Files.readString(Packaging.TEMPLATE);
        s3.createBucket(b -> b.bucket(ARTIFACTS));
        Map<String, String> uploadedTo = new LinkedHashMap<>();
        for (String uri : Packaging.codeUris(template)) {
            Path jar = Packaging.jar(uri);
            String k = STACK + "/" + jar.getFileName();
            s3.putObject(b -> b.bucket(ARTIFACTS).key(k), RequestBody.fromFile(jar));
            uploadedTo.put(uri, "s3://" + ARTIFACTS + "/" + k);
        }
        String body = Packaging.packaged(template, uploadedTo);
        cfn.createStack(b -> b.stackName(STACK).templateBody(body)
                .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND)
                .parameters(Parameter.builder().parameterKey("Public").parameterValue("false").build()));
        Stack stack = null;
        long deadline = System.nanoTime() + DEPLOY.toNanos();
        do {
            stack = cfn.describeStacks(b -> b.stackName(STACK)).stacks().getFirst();
            if (!stack.stackStatusAsString().endsWith("IN_PROGRESS")) break;
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
        if (!"CREATE_COMPLETE".equals(stack.stackStatusAsString())) {
            String failed = cfn.describeStackEvents(b -> b.stackName(STACK)).stackEvents().stream()
                    .filter(e -> e.resourceStatusAsString().endsWith("FAILED"))
                    .map(e -> e.logicalResourceId() + ": " + e.resourceStatusReason()).collect(Collectors.joining("; "));
            throw new AssertionError("the stack is " + stack.stackStatusAsString() + " (" + stack.stackStatusReason() + "): " + failed);
        }
        Map<String, String> physical = new HashMap<>();
        for (StackResourceSummary r : cfn.listStackResources(b -> b.stackName(STACK)).stackResourceSummaries())
            physical.put(r.logicalResourceId(), r.physicalResourceId());
        bucket = physical.get("DataBucket");
        // LocalStack serves an HTTP API at <api id>.execute-api.localhost.localstack.cloud, a name that resolves to 127.0.0.1.
        api = "http://" + physical.get("HttpApi") + ".execute-api.localhost.localstack.cloud:" + ep.getPort();
        key = secrets.getSecretValue(b -> b.secretId(physical.get("ApiKeySecret"))).secretString();

        // The demo: an array zarr-python wrote and a table pyarrow wrote, uploaded as a user would.
        try (var files = Files.list(Demo.ARRAY)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Demo.isExpectation(f)) continue;
                s3.putObject(b -> b.bucket(bucket).key(Demo.ARRAY_KEY + "/" + f.getFileName()), RequestBody.fromFile(f));
            }
        }
        s3.putObject(b -> b.bucket(bucket).key(Demo.TABLE_KEY), RequestBody.fromFile(Demo.TABLE));
        await("/api/v1/metadata/" + Demo.ARRAY_NODE, 200);
        await("/api/v1/metadata/" + Demo.TABLE_NODE, 200);
    }

    @BeforeEach
    void canRun() {
        assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    static void stop() {
        if (localstack != null) localstack.stop();
    }

    private static HttpResponse<byte[]> get(String path, boolean withKey, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60));
        if (withKey) r.header("Authorization", "Apikey " + key);
        if (accept != null) r.header("Accept", accept);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Polls the path (with the key) until it answers the status; the indexer works from the bucket's notifications. */
    private static void await(String path, int status) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + REGISTRATION.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<byte[]> r = get(path, true, null);
                if (r.statusCode() == status) return;
                last = r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(2000);
        }
        throw new AssertionError(api + path + " did not answer " + status + " within " + REGISTRATION + "; last: " + last);
    }

    private static JsonNode metadata(String node) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get("/api/v1/metadata/" + node, true, null);
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        return Json.parse(r.body()).get("data");
    }

    @Test
    @Order(1)
    void theArrayZarrPythonWroteReadsThroughApiGatewayByteForByte() throws Exception {
        JsonNode node = metadata(Demo.ARRAY_NODE);
        assertEquals("array", node.at("/attributes/structure_family").asText());
        assertEquals("[7,5]", node.at("/attributes/structure/shape").toString());
        HttpResponse<byte[]> r = get("/api/v1/array/full/" + Demo.ARRAY_NODE, true, "application/octet-stream");
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertArrayEquals(Files.readAllBytes(Demo.ARRAY.resolve("expected.bin")), r.body(), "the values numpy read back from what zarr-python wrote");
    }

    @Test
    @Order(2)
    void theTablePyarrowWroteReadsThroughApiGatewayColumnByColumn() throws Exception {
        JsonNode expected = Json.parse(Files.readAllBytes(Demo.TABLE_EXPECTED));
        JsonNode node = metadata(Demo.TABLE_NODE);
        assertEquals("table", node.at("/attributes/structure_family").asText());
        assertEquals(expected.path("columns").toString(), node.at("/attributes/structure/columns").toString());
        for (String column : List.of("x", "y")) {
            HttpResponse<byte[]> r = get("/api/v1/array/full/" + Demo.TABLE_NODE + "/" + column, true, "application/octet-stream");
            assertEquals(200, r.statusCode(), () -> column + ": " + new String(r.body(), StandardCharsets.UTF_8));
            assertArrayEquals(Base64.getDecoder().decode(expected.at("/arrays/" + column + "/bytes").asText()), r.body(), column + " as pyarrow wrote it");
        }
    }

    @Test
    @Order(3)
    void withoutAKeyTheApiAnswers401() throws Exception {
        HttpResponse<byte[]> r = get("/api/v1/metadata/" + Demo.ARRAY_NODE, false, null);
        assertEquals(401, r.statusCode(), "Public is false: no key, no read");
    }

    @Test
    @Order(4)
    void linksPointBackAtTheEndpointTheClientCalled() throws Exception {
        String self = metadata(Demo.ARRAY_NODE).at("/links/self").asText();
        assertTrue(self.startsWith(api + "/api/v1/"), "the Tiled client follows links: " + self + " is not under " + api);
    }

    @Test
    @Order(5)
    void deletingTheTablesObjectRemovesItsNode() throws Exception {
        s3.deleteObject(b -> b.bucket(bucket).key(Demo.TABLE_KEY));
        await("/api/v1/metadata/" + Demo.TABLE_NODE, 404);
        assertEquals(200, get("/api/v1/metadata/" + Demo.ARRAY_NODE, true, null).statusCode(), "the array stays");
    }
}
