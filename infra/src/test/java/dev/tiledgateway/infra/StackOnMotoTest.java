package dev.tiledgateway.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.api.ApiHandler;
import dev.tiledgateway.authorizer.AuthorizerHandler;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.ServerKeySecret;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.indexer.IndexerHandler;
import dev.tiledgateway.indexer.SqsDeadLetters;
import dev.tiledgateway.local.Main;
import dev.tiledgateway.testkit.MotoServer;
import dev.tiledgateway.testkit.S3EventPayloads;
import dev.tiledgateway.testkit.interop.Interop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The template deployed, as far as one can without AWS: translated to CloudFormation by the SAM translator that ships
 * with cfn-lint, its jars uploaded to a bucket as {@code sam package} does, and created as a stack in moto's
 * CloudFormation; what the stack created is read back through the SDK and checked, and then the functions' own
 * handlers, built from the environment the stack gave each function, serve and index behind the local server.
 *
 * <p>moto 5.2.1 leaves three kinds of resource uncreated (it reports them complete, with no physical id):
 * {@code AWS::SecretsManager::Secret} (this test creates the secret through Secrets Manager's API with the template's
 * {@code GenerateSecretString}, as CloudFormation would, and puts its ARN where the template refers to it),
 * {@code AWS::ApiGatewayV2::Api} and {@code ::Stage} (their routes, authorizer and throttling are checked in the
 * translated template); it has no {@code AWS::Lambda::Alias} at all (the API function's alias is left out of what it
 * is given, and checked in the translated template with the SnapStart settings). It creates the bucket without applying its notification configuration: the test checks the
 * configuration in the template and puts it on the bucket through S3's API, so that uploads reach the stack's queue.
 */
@Tag("emulator")
@Interop
class StackOnMotoTest {

    private static final String STACK = "tiled-gateway-test";
    private static final String ARTIFACTS = "tiled-gateway-artifacts";
    private static final String ORIGIN = "https://app.example.org";

    private static MotoServer moto;
    private static JsonNode translated;
    private static CloudFormationClient cfn;
    private static LambdaClient lambda;
    private static S3Client s3;
    private static SqsClient sqs;
    private static DynamoDbClient dynamo;
    private static SecretsManagerClient secrets;
    private static String secretArn;
    private static Map<String, String> physical;
    private static Stack stack;

    @BeforeAll
    static void deploy() throws Exception {
        moto = MotoServer.start();
        URI ep = moto.endpoint();
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        AwsClients clients = AwsClients.emulated(ep, ep);
        s3 = clients.s3();
        dynamo = clients.dynamo();
        cfn = CloudFormationClient.builder().endpointOverride(ep).region(Region.US_EAST_1).credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
        lambda = LambdaClient.builder().endpointOverride(ep).region(Region.US_EAST_1).credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(ep).region(Region.US_EAST_1).credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
        secrets = SecretsManagerClient.builder().endpointOverride(ep).region(Region.US_EAST_1).credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();

        // sam package: each function's jar into the artifacts bucket, its CodeUri pointing there.
        JsonNode sam = Template.sam();
        s3.createBucket(b -> b.bucket(ARTIFACTS));
        Map<String, String[]> uploaded = new LinkedHashMap<>();
        for (String f : Template.FUNCTIONS) {
            Path jar = Template.jar(sam, f);
            String key = f + "/" + jar.getFileName();
            s3.putObject(b -> b.bucket(ARTIFACTS).key(key), RequestBody.fromFile(jar));
            uploaded.put(sam.at("/Resources/" + f + "/Properties/CodeUri").asText(), new String[] {ARTIFACTS, key});
        }
        translated = Template.translated(uploaded);

        // The secret, as CloudFormation would create it from the template's properties.
        JsonNode generate = translated.at("/Resources/ApiKeySecret/Properties/GenerateSecretString");
        String value = secrets.getRandomPassword(b -> b.passwordLength(generate.path("PasswordLength").asLong())
                .excludePunctuation(generate.path("ExcludePunctuation").asBoolean())).randomPassword();
        secretArn = secrets.createSecret(b -> b.name(STACK + "-ApiKeySecret").secretString(value)).arn();
        ObjectNode forMoto = translated.deepCopy();
        ((ObjectNode) forMoto.get("Resources")).remove("ApiKeySecret");
        replaceRef(forMoto, "ApiKeySecret", secretArn);
        // moto has no AWS::Lambda::Alias: the permissions name the function instead (the alias, its version and the
        // routes' use of it are checked in the translated template).
        for (String f : List.of("ApiFunction", "AuthorizerFunction")) {
            ((ObjectNode) forMoto.get("Resources")).remove(f + "Aliaslive");
            renameRef(forMoto, f + "Aliaslive", f);
        }

        cfn.createStack(b -> b.stackName(STACK).templateBody(new String(Json.bytes(forMoto), StandardCharsets.UTF_8))
                .capabilities(Capability.CAPABILITY_IAM)
                .parameters(param("AllowOrigins", ORIGIN), param("MemorySize", "3008"), param("LogRetentionDays", "14")));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            stack = cfn.describeStacks(b -> b.stackName(STACK)).stacks().getFirst();
            if (!stack.stackStatusAsString().endsWith("IN_PROGRESS")) break;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertEquals("CREATE_COMPLETE", stack.stackStatusAsString(), stack.stackStatusReason());
        physical = new HashMap<>();
        for (StackResourceSummary r : cfn.listStackResources(b -> b.stackName(STACK)).stackResourceSummaries())
            physical.put(r.logicalResourceId(), r.physicalResourceId());
    }

    private static Parameter param(String k, String v) { return Parameter.builder().parameterKey(k).parameterValue(v).build(); }

    /** Replaces every {"Ref": name} in the document with the value, as CloudFormation resolves it. */
    /** Every {@code {"Ref": from}} in {@code n} made {@code {"Ref": to}}. */
    private static void renameRef(JsonNode n, String from, String to) {
        if (n instanceof ObjectNode o && o.size() == 1 && from.equals(o.path("Ref").asText(null))) o.put("Ref", to);
        else for (JsonNode v : n) renameRef(v, from, to);
    }

    private static void replaceRef(JsonNode n, String name, String value) {
        if (n instanceof ObjectNode o) {
            for (var it = o.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode v = e.getValue();
                if (v.isObject() && v.size() == 1 && name.equals(v.path("Ref").asText(null))) e.setValue(Json.mapper().getNodeFactory().textNode(value));
                else replaceRef(v, name, value);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                JsonNode v = n.get(i);
                if (v.isObject() && v.size() == 1 && name.equals(v.path("Ref").asText(null))) ((com.fasterxml.jackson.databind.node.ArrayNode) n).set(i, value);
                else replaceRef(v, name, value);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (moto != null) moto.close();
    }

    private static GetFunctionConfigurationResponse function(String logical) {
        String name = physical.get(logical);
        assertTrue(name != null && !name.isBlank(), logical + " was not created: " + physical);
        return lambda.getFunctionConfiguration(b -> b.functionName(name));
    }

    private static String queueArn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /**
     * What moto 5.2.1 reports complete without creating (no physical id, most without even their logical id);
     * an {@code AWS::Lambda::Version} it does publish, but reports without a physical id.
     */
    static final Set<String> MOTO_DOES_NOT_CREATE = Set.of("AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage", "AWS::SQS::QueuePolicy",
            "AWS::CloudWatch::Alarm", "AWS::Lambda::Permission", "AWS::SNS::Subscription", "AWS::Lambda::Version");

    @Test
    void everyResourceMotoCanCreateIsThereAndTheRestAreTheKnownOnes() {
        int notCreated = 0;
        List<String> missing = new ArrayList<>();
        for (var it = translated.get("Resources").fields(); it.hasNext(); ) {
            var r = it.next();
            String type = r.getValue().path("Type").asText();
            if (r.getKey().equals("ApiKeySecret")) continue; // created through Secrets Manager above
            if (r.getKey().endsWith("FunctionAliaslive")) continue; // not given to moto (it has no aliases)
            if (MOTO_DOES_NOT_CREATE.contains(type)) notCreated++;
            else if (physical.getOrDefault(r.getKey(), "").isBlank()) missing.add(r.getKey() + " " + type);
        }
        assertEquals(List.of(), missing, "every resource moto can create has its physical id");
        long blank = cfn.listStackResources(b -> b.stackName(STACK)).stackResourceSummaries().stream()
                .filter(r -> r.physicalResourceId() == null || r.physicalResourceId().isBlank()).count();
        assertEquals(notCreated, blank, "moto left uncreated exactly the resources of the types it cannot create: " + MOTO_DOES_NOT_CREATE);
        assertEquals(physical.get("DataBucket"), output("Bucket"));
        assertEquals(physical.get("CatalogTable"), output("Table"));
        assertEquals(physical.get("UploadDeadLetters"), output("DeadLetterQueueUrl"));
        assertEquals(physical.get("AlarmTopic"), output("AlarmTopic"));
        assertEquals(secretArn, output("ApiKeySecret"));
    }

    @Test
    void theDeadLetterAlarmWatchesTheDeadLetterQueueAndNotifiesTheTopic() {
        // From the template: moto does not create alarms from CloudFormation.
        JsonNode a = translated.at("/Resources/DeadLettersAlarm/Properties");
        assertEquals("AWS/SQS", a.path("Namespace").asText());
        assertEquals("ApproximateNumberOfMessagesVisible", a.path("MetricName").asText());
        assertEquals("[\"UploadDeadLetters\",\"QueueName\"]", a.at("/Dimensions/0/Value/Fn::GetAtt").toString());
        assertEquals("GreaterThanThreshold", a.path("ComparisonOperator").asText());
        assertEquals(0, a.path("Threshold").asInt(-1));
        assertEquals("AlarmTopic", a.at("/AlarmActions/0/Ref").asText());
    }

    private static String output(String key) {
        return stack.outputs().stream().filter(o -> o.outputKey().equals(key)).findFirst().orElseThrow(() -> new AssertionError("no output " + key)).outputValue();
    }

    @Test
    void eachFunctionHasItsHandlerRuntimeMemoryAndEnvironment() {
        GetFunctionConfigurationResponse api = function("ApiFunction");
        assertEquals("dev.tiledgateway.api.ApiHandler::handleRequest", api.handler());
        assertEquals("java21", api.runtimeAsString());
        assertEquals(3008, api.memorySize(), "the MemorySize parameter");
        assertEquals(29, api.timeout(), "inside API Gateway's 30 s");
        Map<String, String> env = api.environment().variables();
        assertEquals(physical.get("DataBucket"), env.get("TILED_GATEWAY_BUCKET"));
        assertEquals(physical.get("CatalogTable"), env.get("TILED_GATEWAY_TABLE"));
        assertEquals(secretArn, env.get(ServerKeySecret.SECRET));
        assertEquals(ORIGIN, env.get("TILED_GATEWAY_ALLOW_ORIGINS"));
        assertEquals("false", env.get("TILED_GATEWAY_PUBLIC"));
        assertEquals("4500000", env.get(ApiHandler.MAX_INLINE_BYTES));
        assertFalse(env.containsKey("TILED_GATEWAY_API_KEY") || env.containsKey("TILED_GATEWAY_API_KEY_SHA256"), "the key is never a variable's value");
        assertTrue(env.get("JAVA_TOOL_OPTIONS").contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), "Arrow needs java.nio opened");

        GetFunctionConfigurationResponse auth = function("AuthorizerFunction");
        assertEquals("dev.tiledgateway.authorizer.AuthorizerHandler::handleRequest", auth.handler());
        assertEquals("java21", auth.runtimeAsString());
        assertEquals(1024, auth.memorySize());
        assertEquals(10, auth.timeout(), "API Gateway waits 10 s for an authorizer");
        assertEquals(physical.get("CatalogTable"), auth.environment().variables().get("TILED_GATEWAY_TABLE"));
        assertEquals(secretArn, auth.environment().variables().get(ServerKeySecret.SECRET));

        GetFunctionConfigurationResponse idx = function("IndexerFunction");
        assertEquals("dev.tiledgateway.indexer.IndexerHandler::handleRequest", idx.handler());
        assertEquals("java21", idx.runtimeAsString());
        assertEquals(3008, idx.memorySize());
        Map<String, String> ienv = idx.environment().variables();
        assertEquals(physical.get("DataBucket"), ienv.get("TILED_GATEWAY_BUCKET"));
        assertEquals(physical.get("UploadDeadLetters"), ienv.get(SqsDeadLetters.QUEUE_URL), "unreadable objects go to the stack's dead-letter queue");
    }

    @Test
    void theQueueFeedsTheIndexerWithPartialBatchFailuresAndRedrivesToTheDeadLetters() throws IOException {
        String indexer = physical.get("IndexerFunction");
        List<EventSourceMappingConfiguration> mappings = lambda.listEventSourceMappings(b -> b.functionName(indexer)).eventSourceMappings();
        assertEquals(1, mappings.size(), mappings.toString());
        EventSourceMappingConfiguration m = mappings.getFirst();
        assertEquals(queueArn(physical.get("UploadQueue")), m.eventSourceArn());
        assertTrue(m.functionResponseTypes().contains(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES), "partial batch responses: " + m);
        assertEquals(100, m.batchSize());

        var attrs = sqs.getQueueAttributes(b -> b.queueUrl(physical.get("UploadQueue")).attributeNames(QueueAttributeName.ALL)).attributes();
        JsonNode redrive = Json.parse(attrs.get(QueueAttributeName.REDRIVE_POLICY));
        assertEquals(queueArn(physical.get("UploadDeadLetters")), redrive.path("deadLetterTargetArn").asText());
        int visibility = Integer.parseInt(attrs.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        assertTrue(visibility >= 6 * function("IndexerFunction").timeout(), "AWS asks for a visibility of 6 times the function's timeout: " + visibility);
    }

    @Test
    void theBucketNotifiesTheQueueOfUploadsAndDeletions() {
        // From the template: moto creates the bucket without applying it.
        JsonNode configs = translated.at("/Resources/DataBucket/Properties/NotificationConfiguration/QueueConfigurations");
        Set<String> events = new HashSet<>();
        for (JsonNode c : configs) {
            assertEquals("UploadQueue", c.at("/Queue/Fn::GetAtt/0").asText());
            assertEquals("Arn", c.at("/Queue/Fn::GetAtt/1").asText());
            events.add(c.path("Event").asText());
        }
        assertEquals(Set.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), events);
        assertTrue(translated.at("/Resources/DataBucket/DependsOn").toString().contains("UploadQueuePolicy"), "S3 checks it may send when the configuration is put");
        JsonNode statement = translated.at("/Resources/UploadQueuePolicy/Properties/PolicyDocument/Statement/0");
        assertEquals("s3.amazonaws.com", statement.at("/Principal/Service").asText());
        assertEquals("sqs:SendMessage", statement.path("Action").asText());
    }

    @Test
    void theTableHasTheCatalogsKeysAndIndex() {
        TableDescription t = dynamo.describeTable(b -> b.tableName(physical.get("CatalogTable"))).table();
        assertEquals("[pk HASH, sk RANGE]", t.keySchema().stream().map(k -> k.attributeName() + " " + k.keyTypeAsString()).toList().toString());
        assertEquals("by_seq", t.localSecondaryIndexes().getFirst().indexName());
    }

    @Test
    void theHttpApiRoutesEverythingThroughTheAuthorizerAndIsThrottled() {
        JsonNode stage = translated.at("/Resources/HttpApiApiGatewayDefaultStage/Properties");
        assertEquals("$default", stage.path("StageName").asText());
        assertEquals("ThrottlingRateLimit", stage.at("/DefaultRouteSettings/ThrottlingRateLimit/Ref").asText());
        assertEquals("ThrottlingBurstLimit", stage.at("/DefaultRouteSettings/ThrottlingBurstLimit/Ref").asText());
        JsonNode paths = translated.at("/Resources/HttpApi/Properties/Body/paths");
        for (String p : List.of("/{proxy+}", "/")) {
            JsonNode any = paths.path(p).path("x-amazon-apigateway-any-method");
            assertEquals("2.0", any.at("/x-amazon-apigateway-integration/payloadFormatVersion").asText(), p);
            assertEquals("[{\"ApiKeys\":[]}]", any.path("security").toString(), p + " goes through the authorizer");
        }
    }

    @Test
    void theApiFunctionAndTheAuthorizerStartFromSnapStartSnapshotsOfTheirPublishedVersions() {
        for (String name : List.of("ApiFunction", "AuthorizerFunction")) {
            JsonNode fn = translated.at("/Resources/" + name + "/Properties");
            assertEquals("PublishedVersions", fn.at("/SnapStart/ApplyOn").asText(), name);
            assertEquals("java21", fn.path("Runtime").asText(), "a runtime SnapStart supports");
            JsonNode alias = translated.at("/Resources/" + name + "Aliaslive");
            assertEquals("AWS::Lambda::Alias", alias.path("Type").asText(), name);
            String version = alias.at("/Properties/FunctionVersion/Fn::GetAtt/0").asText();
            assertEquals("AWS::Lambda::Version", translated.at("/Resources/" + version + "/Type").asText(), name);
            // moto published the version the alias names.
            assertTrue(lambda.listVersionsByFunction(b -> b.functionName(physical.get(name))).versions().stream()
                    .anyMatch(v -> !v.version().equals("$LATEST")), "a published version of " + name);
        }
        // The routes and the authorizer invoke the aliases (a published version, which has the snapshot), never
        // $LATEST (which has none); API Gateway may invoke the authorizer's alias.
        JsonNode paths = translated.at("/Resources/HttpApi/Properties/Body/paths");
        for (String p : List.of("/{proxy+}", "/")) {
            String uri = paths.path(p).at("/x-amazon-apigateway-any-method/x-amazon-apigateway-integration/uri").toString();
            assertTrue(uri.contains("ApiFunctionAliaslive"), p + " invokes " + uri);
        }
        String authorizerUri = translated.at("/Resources/HttpApi/Properties/Body/components/securitySchemes/ApiKeys/x-amazon-apigateway-authorizer/authorizerUri").toString();
        assertTrue(authorizerUri.contains("AuthorizerFunctionAliaslive"), "the authorizer is " + authorizerUri);
        assertEquals("AuthorizerFunctionAliaslive", translated.at("/Resources/HttpApiApiKeysAuthorizerPermission/Properties/FunctionName/Ref").asText());
        // The indexer keeps no snapshot: it is started by the queue, not by a waiting client.
        assertTrue(translated.at("/Resources/IndexerFunction/Properties/SnapStart").isMissingNode());
    }

    @Test
    void eachRoleWritesOnlyWhereItsFunctionMust() {
        assertEquals(Set.of("_results/*", "catalog-spill/*", "_managed/*"), writablePrefixes("ApiFunctionRole"));
        assertEquals(Set.of("catalog-spill/*"), writablePrefixes("IndexerFunctionRole"));
        assertEquals(Set.of(), writablePrefixes("AuthorizerFunctionRole"));
        // The authorizer reads keys and nothing else of the table.
        String auth = translated.at("/Resources/AuthorizerFunctionRole/Properties/Policies").toString();
        assertTrue(auth.contains("\"dynamodb:GetItem\"") && !auth.contains("dynamodb:PutItem") && !auth.contains("s3:"), auth);
        // Only the stack's own queues.
        String idx = translated.at("/Resources/IndexerFunctionRole/Properties").toString();
        assertFalse(idx.contains("AWSLambdaSQSQueueExecutionRole"), "SAM's SQS event policy grants every queue of the account");
    }

    /** The object-key patterns under the bucket on which a role may put or delete. */
    private static Set<String> writablePrefixes(String role) {
        Set<String> out = new TreeSet<>();
        for (JsonNode policy : translated.at("/Resources/" + role + "/Properties/Policies")) {
            for (JsonNode s : policy.at("/PolicyDocument/Statement")) {
                String actions = s.path("Action").toString();
                if (!actions.contains("s3:PutObject") && !actions.contains("s3:DeleteObject") && !actions.contains("s3:*")) continue;
                assertEquals("Allow", s.path("Effect").asText());
                JsonNode resources = s.path("Resource").isArray() ? s.path("Resource") : Json.mapper().createArrayNode().add(s.path("Resource"));
                for (JsonNode r : resources) {
                    String sub = r.path("Fn::Sub").asText();
                    assertTrue(sub.startsWith("${DataBucket.Arn}/"), role + " writes outside the bucket's prefixes: " + r);
                    out.add(sub.substring("${DataBucket.Arn}/".length()));
                }
            }
        }
        return out;
    }

    /** What the Lambda runtime adds to a function's variables, here pointed at moto. */
    private static Map<String, String> asLambdaRunsIt(GetFunctionConfigurationResponse f) {
        Map<String, String> env = new HashMap<>(f.environment().variables());
        String ep = moto.endpoint().toString();
        env.putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_ENDPOINT_URL_S3", ep, "AWS_ENDPOINT_URL_DYNAMODB", ep, "AWS_ENDPOINT_URL_SQS", ep, "AWS_ENDPOINT_URL_SECRETS_MANAGER", ep));
        return env;
    }

    @Test
    void theLocalServerRunsTheFunctionsAsTheStackConfiguredThem() throws Exception {
        String bucket = physical.get("DataBucket");
        String queue = physical.get("UploadQueue");
        // What CloudFormation does with the template's notification configuration and moto does not.
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n.queueConfigurations(
                QueueConfiguration.builder().queueArn(queueArn(queue)).events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED).build())));

        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        IndexerHandler indexer = IndexerHandler.fromEnvironment(asLambdaRunsIt(function("IndexerFunction")), lines::add);
        ApiHandler api = ApiHandler.fromEnvironment(asLambdaRunsIt(function("ApiFunction")));
        AuthorizerHandler authorizer = AuthorizerHandler.fromEnvironment(asLambdaRunsIt(function("AuthorizerFunction")));
        // As SnapStart runs it: primed before the snapshot (its key looked up in the stack's table and not found), then
        // restored (the server's key read from Secrets Manager again), then serving.
        assertEquals(List.of("anonymous", "401", "400"), authorizer.prime());
        authorizer.afterRestore(null);

        s3.putObject(b -> b.bucket(bucket).key("experiments/run1.csv"), RequestBody.fromString("x,y\n1,2\n3,4\n"));
        s3.putObject(b -> b.bucket(bucket).key("broken.zarr/.zarray"), RequestBody.fromString("{not json"));
        deliver(indexer, queue, Set.of("experiments/run1.csv", "broken.zarr/.zarray"), lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("experiments/run1.csv") && l.contains("REGISTERED")), lines.toString());

        // The unreadable object reached the stack's dead-letter queue, with the reason.
        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(physical.get("UploadDeadLetters")).maxNumberOfMessages(10).waitTimeSeconds(5)).messages();
        assertEquals(1, dead.size(), lines.toString());
        JsonNode letter = Json.parse(dead.getFirst().body());
        assertEquals("broken.zarr/.zarray", letter.path("key").asText());
        assertFalse(letter.path("reason").asText().isBlank());

        String key = secrets.getSecretValue(b -> b.secretId(secretArn)).secretString();
        try (Main.Running running = Main.serveFunctions("127.0.0.1", 0, api, authorizer)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + running.server().port() + "/api/v1/metadata/experiments/run1";
            HttpResponse<byte[]> anonymous = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(401, anonymous.statusCode(), "Public is false: no key, no read");
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Apikey " + key).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
            JsonNode node = Json.parse(r.body()).get("data");
            assertEquals("table", node.at("/attributes/structure_family").asText());
            assertEquals("[\"x\",\"y\"]", node.at("/attributes/structure/columns").toString());
            // The origin the AllowOrigins parameter named gets CORS headers.
            HttpResponse<byte[]> cors = http.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Apikey " + key).header("Origin", ORIGIN).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(ORIGIN, cors.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        }
    }

    /** Hands the queue's messages to the indexer as Lambda's SQS event source does, until every key was seen. */
    private static void deliver(IndexerHandler indexer, String queue, Set<String> keys, List<String> lines) throws IOException, InterruptedException {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!seen.containsAll(keys) && System.nanoTime() < deadline) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (batch.isEmpty()) continue;
            ObjectNode event = S3EventPayloads.sqsBatch(batch.stream().map(Message::body).toList(), batch.stream().map(Message::messageId).toList());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            indexer.handleRequest(new ByteArrayInputStream(Json.bytes(event)), out, null);
            assertEquals("[]", Json.parse(out.toByteArray()).path("batchItemFailures").toString(), "no message failed");
            for (Message m : batch) {
                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
                // moto writes '/' in keys as %2F (S3 itself leaves it)
                for (String k : keys) if (m.body().contains("\"" + k + "\"") || m.body().contains("\"" + k.replace("/", "%2F") + "\"")) seen.add(k);
            }
        }
        assertTrue(seen.containsAll(keys), "the queue delivered " + seen + " of " + keys);
    }
}
