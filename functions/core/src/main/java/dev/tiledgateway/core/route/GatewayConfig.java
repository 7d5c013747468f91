package dev.tiledgateway.core.route;

import java.time.Duration;

/**
 * Limits and identity of one gateway deployment.
 *
 * @param maxInlineBytes    largest body sent inline; above it the body is stored and the client redirected
 *                          (API Gateway + Lambda: 6 MB envelope, ~4.5 MB of base64-encoded binary)
 * @param responseByteLimit largest response served at all, counted in the bytes of the requested format (JSON or
 *                          text of an array is several times its raw bytes); Tiled's own limit is 300,000,000 bytes
 * @param resultPrefix      object-store prefix under which oversized results are materialised
 * @param presignTtl        lifetime of the redirect URLs to materialised results
 * @param libraryVersion    the Tiled version reported in the about document (PEP 440)
 * @param maxMaterialising  how many results above the inline ceiling may be produced at once (each holds its
 *                          payload in memory); on Lambda an execution environment serves one request at a time
 * @param materialiseWait   how long a large result waits for its turn before the request is answered 503
 *                          with {@code Retry-After}
 */
public record GatewayConfig(long maxInlineBytes, long responseByteLimit, String resultPrefix, Duration presignTtl,
                            String libraryVersion, int maxMaterialising, Duration materialiseWait) {

    public static final int DEFAULT_MAX_MATERIALISING = 2;
    public static final Duration DEFAULT_MATERIALISE_WAIT = Duration.ofSeconds(5);

    public GatewayConfig {
        if (maxMaterialising < 1) throw new IllegalArgumentException("at least one result must be allowed at a time");
        if (materialiseWait == null || materialiseWait.isNegative()) throw new IllegalArgumentException("materialiseWait must not be negative");
    }

    /** The limits without a bound of their own on concurrent large results: the defaults apply. */
    public GatewayConfig(long maxInlineBytes, long responseByteLimit, String resultPrefix, Duration presignTtl, String libraryVersion) {
        this(maxInlineBytes, responseByteLimit, resultPrefix, presignTtl, libraryVersion, DEFAULT_MAX_MATERIALISING, DEFAULT_MATERIALISE_WAIT);
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig(4_500_000, 300_000_000, "_results/", Duration.ofMinutes(15), "0.2.16");
    }

    public GatewayConfig withMaxInlineBytes(long n) {
        return new GatewayConfig(n, responseByteLimit, resultPrefix, presignTtl, libraryVersion, maxMaterialising, materialiseWait);
    }

    public GatewayConfig withResponseByteLimit(long n) {
        return new GatewayConfig(maxInlineBytes, n, resultPrefix, presignTtl, libraryVersion, maxMaterialising, materialiseWait);
    }

    public GatewayConfig withMaterialising(int atOnce, Duration wait) {
        return new GatewayConfig(maxInlineBytes, responseByteLimit, resultPrefix, presignTtl, libraryVersion, atOnce, wait);
    }
}
