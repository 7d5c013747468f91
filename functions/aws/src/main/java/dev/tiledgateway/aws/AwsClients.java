package dev.tiledgateway.aws;

import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.aws.store.S3Transfers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How the AWS SDK clients are built: region, optional emulator endpoints, credentials, and the time
 * budget of every call. One {@link AwsClients} per execution environment; its clients are thread-safe.
 *
 * <p>The budget matters more than it looks: API Gateway gives up after 30 s, and a hung S3 or DynamoDB
 * connection must turn into an {@link java.io.IOException} (the router's 503 + Retry-After) long before.
 * Each attempt is cut off after {@code attemptTimeout}, the whole call (retries included) after
 * {@code callTimeout}; throttling (S3 503 SlowDown, 429, DynamoDB ThrottlingException) and 5xx replies are
 * retried with jittered exponential backoff by the SDK's standard strategy, at most {@code maxAttempts} tries.
 * Those are the limits of requests that move no bulk: an S3 request that moves bytes may take longer, by
 * its bytes at {@code minBytesPerSecond} (see {@link S3Transfers}), so no object is too large to move.
 */
public record AwsClients(
        Region region,
        URI s3Endpoint,
        URI dynamoEndpoint,
        AwsCredentialsProvider credentials,
        Duration connectTimeout,
        Duration attemptTimeout,
        Duration callTimeout,
        int maxAttempts,
        long minBytesPerSecond) {

    /** Defaults sized for a Lambda behind API Gateway (30 s hard limit). */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(12);
    public static final int MAX_ATTEMPTS = 4;
    /** The budget of a server on emulator endpoints ({@link #fromEnv} with both given). */
    public static final Duration LOCAL_EMULATOR_ATTEMPT_TIMEOUT = Duration.ofSeconds(12);
    public static final Duration LOCAL_EMULATOR_CALL_TIMEOUT = Duration.ofSeconds(20);
    /** The budget of {@link #emulated} clients (tests). */
    public static final Duration EMULATOR_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration EMULATOR_CALL_TIMEOUT = Duration.ofSeconds(90);

    public AwsClients {
        if (region == null) throw new IllegalArgumentException("region is required");
        if (credentials == null) throw new IllegalArgumentException("credentials are required");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (minBytesPerSecond < 1) throw new IllegalArgumentException("minBytesPerSecond must be positive");
    }

    /**
     * Settings from environment variables: {@code AWS_REGION} (default us-east-1), credentials from
     * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN} when present, else
     * dummy ones when both services are emulated, else the SDK's default chain.
     */
    public static AwsClients fromEnv(Map<String, String> env, URI s3Endpoint, URI dynamoEndpoint) {
        String region = env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
        boolean emulated = s3Endpoint != null && dynamoEndpoint != null;
        // An emulator (LocalStack, moto) answers one request at a time on a laptop's cores: a small request can
        // wait behind a large one for seconds. It gets longer than AWS, still inside API Gateway's 30 s, so that
        // a hung emulator is a 503 before any client gives up.
        return new AwsClients(Region.of(region.isBlank() ? "us-east-1" : region), s3Endpoint, dynamoEndpoint,
                credentials(env, emulated), CONNECT_TIMEOUT,
                emulated ? LOCAL_EMULATOR_ATTEMPT_TIMEOUT : ATTEMPT_TIMEOUT, emulated ? LOCAL_EMULATOR_CALL_TIMEOUT : CALL_TIMEOUT,
                MAX_ATTEMPTS, S3Transfers.DEFAULT_MIN_BYTES_PER_SECOND);
    }

    /**
     * The endpoint of one service, as the SDK's own variables name it: {@code ours} (a {@code TILED_GATEWAY_*}
     * variable), else the service's {@code AWS_ENDPOINT_URL_<SERVICE>}, else the global {@code AWS_ENDPOINT_URL}
     * (which LocalStack sets in every function it runs); null for AWS's own endpoint.
     */
    public static URI endpoint(Map<String, String> env, String ours, String sdkServiceVariable) {
        for (String name : new String[] {ours, sdkServiceVariable, "AWS_ENDPOINT_URL"}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) return URI.create(v.strip());
        }
        return null;
    }

    /**
     * Settings for emulators on known endpoints, with the emulators' customary dummy credentials and a time
     * budget for an emulator, not for AWS: a Python emulator on a busy 2-core machine can take seconds for what
     * DynamoDB does in milliseconds, and a test of what the adapters do must not fail on how long that takes.
     * Tests of the budget itself set theirs with {@link #withTimeouts}.
     */
    public static AwsClients emulated(URI s3Endpoint, URI dynamoEndpoint) {
        return new AwsClients(Region.US_EAST_1, s3Endpoint, dynamoEndpoint,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
                CONNECT_TIMEOUT, EMULATOR_ATTEMPT_TIMEOUT, EMULATOR_CALL_TIMEOUT, MAX_ATTEMPTS, S3Transfers.DEFAULT_MIN_BYTES_PER_SECOND);
    }

    /** The same settings with another time budget (tests use short ones). */
    public AwsClients withTimeouts(Duration connect, Duration attempt, Duration call, int attempts) {
        return new AwsClients(region, s3Endpoint, dynamoEndpoint, credentials, connect, attempt, call, attempts, minBytesPerSecond);
    }

    /** The same settings with another floor rate for bulk transfers. */
    public AwsClients withMinBytesPerSecond(long rate) {
        return new AwsClients(region, s3Endpoint, dynamoEndpoint, credentials, connectTimeout, attemptTimeout, callTimeout, maxAttempts, rate);
    }

    public AwsClients withCredentials(AwsCredentialsProvider c) {
        return new AwsClients(region, s3Endpoint, dynamoEndpoint, c, connectTimeout, attemptTimeout, callTimeout, maxAttempts, minBytesPerSecond);
    }

    /** How an {@link S3BlobStore} on these clients moves bytes: default part sizes, this time budget. */
    public S3Transfers transfers() {
        return S3Transfers.defaults(attemptTimeout, callTimeout, minBytesPerSecond, maxAttempts);
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env, boolean emulated) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(id, secret)
                    : AwsSessionCredentials.create(id, secret, token));
        }
        if (emulated) return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        return DefaultCredentialsProvider.builder().build();
    }

    /** Standard retries (throttling and 5xx), capped; backoff short enough to fit the call budget. */
    RetryStrategy retryStrategy() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofSeconds(1)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(3)))
                .build();
    }

    private ClientOverrideConfiguration overrides(ExecutionInterceptor... interceptors) {
        var b = ClientOverrideConfiguration.builder()
                .retryStrategy(retryStrategy())
                .apiCallAttemptTimeout(attemptTimeout)
                .apiCallTimeout(callTimeout);
        for (ExecutionInterceptor i : interceptors) b.addExecutionInterceptor(i);
        return b.build();
    }

    /**
     * An HTTP client whose reads may wait {@code socketTimeout} for a byte. The SDK's attempt timeout is the
     * real limit of each request; this is the backstop, so it must not be shorter than the longest attempt.
     */
    private SdkHttpClient http(Duration socketTimeout) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(connectTimeout)
                .socketTimeout(socketTimeout)
                .build();
    }

    /**
     * An S3 client. With a custom endpoint (an emulator) it uses path-style addressing and computes
     * checksums only where S3 requires them: emulators do not all speak the trailing-checksum encoding.
     */
    public S3Client s3(ExecutionInterceptor... interceptors) {
        var b = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                // A large part may wait behind the others in flight before its reply starts.
                .httpClient(http(transfers().attemptTimeout(transfers().largestRequestBytes())))
                .overrideConfiguration(overrides(interceptors));
        if (s3Endpoint != null) {
            b.endpointOverride(s3Endpoint).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    /** A presigner that signs for the same endpoint (path-style on emulators) the client talks to. */
    public S3Presigner presigner() {
        var b = S3Presigner.builder().region(region).credentialsProvider(credentials);
        if (s3Endpoint != null) {
            b.endpointOverride(s3Endpoint)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        return b.build();
    }

    /** A DynamoDB client; {@code interceptors} see every call (metrics, tests counting requests). */
    public DynamoDbClient dynamo(ExecutionInterceptor... interceptors) {
        var b = DynamoDbClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(http(attemptTimeout))
                .overrideConfiguration(overrides(interceptors));
        if (dynamoEndpoint != null) b.endpointOverride(dynamoEndpoint);
        return b.build();
    }
}
