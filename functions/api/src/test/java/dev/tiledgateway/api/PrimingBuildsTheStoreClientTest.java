package dev.tiledgateway.api;

import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.testkit.ClassLoadLog;
import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * On the AWS backend the S3 client is built on first use, and no priming request reads an object: {@link ApiHandler#prime()}
 * asks the store for one object's size, so that SnapStart's snapshot holds the S3 client too, not only DynamoDB's.
 */
class PrimingBuildsTheStoreClientTest {

    @Test
    void primingBuildsTheS3ClientThatConstructionLeftForLater() throws Exception {
        // A JVM of its own, which has built no S3 client yet.
        // Not with the handler (DynamoDB's client is), but by priming.
        ClassLoadLog.assertLoadedBetween(ClassLoadLog.of(BuildThenPrime.class), "software.amazon.awssdk.services.dynamodb.DefaultDynamoDbClient",
                "handler built", "software.amazon.awssdk.services.s3.DefaultS3Client", "handler primed");
    }

    /** Builds the handler on AWS endpoints where nothing listens (every priming request fails), then primes it. */
    public static final class BuildThenPrime {
        public static void main(String[] args) {
            String nowhere = "http://127.0.0.1:1";
            ApiHandler h = ApiHandler.fromEnvironment(Map.of(AwsBackendFactory.BUCKET, "bucket", AwsBackendFactory.TABLE, "table",
                    AwsBackendFactory.S3_ENDPOINT, nowhere, AwsBackendFactory.DYNAMODB_ENDPOINT, nowhere,
                    "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
            System.out.println("handler built");
            h.prime();
            System.out.println("handler primed");
        }
    }
}
