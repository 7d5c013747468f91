package dev.tiledgateway.bench;

import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.ServerKeySecret;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.path.NodePath;

import java.util.Map;

/**
 * The AWS SDK's share of the API function's cold start: run in the function's unpacked folder with its environment, it
 * does only what the function's SDK clients do before the first answer (the Secrets Manager client built and the
 * server's key read; the backend opened from the environment as the function opens it, which builds the DynamoDB client
 * and leaves S3's for first use; the first event's one catalog read, the root's item) and none of the gateway's own
 * work (no handler, router, registries or response). Prints the handler's line, {@code status=200 init_ms=..
 * handle_ms=..}: init is the clients and the secret, handle the catalog read.
 */
public final class ColdStartSdkFloor {

    private ColdStartSdkFloor() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Map<String, String> env = ServerKeySecret.resolve(System.getenv());
        if (env.get(Access.API_KEY) == null) throw new IllegalStateException("no server key was read");
        // The backend as the function opens it from its environment: the DynamoDB client (S3's is built on first use).
        Catalog catalog = new AwsBackendFactory().create(env).orElseThrow(() -> new IllegalStateException("no AWS backend configured")).catalog();
        long t1 = System.nanoTime();
        boolean found = catalog.get(NodePath.ROOT).isPresent();
        long t2 = System.nanoTime();
        System.out.println(String.format(java.util.Locale.ROOT, "status=%d init_ms=%.3f prime_ms=0.000 handle_ms=%.3f bytes=0",
                found ? 200 : 404, (t1 - t0) / 1e6, (t2 - t1) / 1e6));
        System.out.flush();
        System.exit(found ? 0 : 1);
    }
}
