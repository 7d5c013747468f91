package dev.tiledgateway.core.route;

import java.time.Duration;

/**
 * Limits and identity of one gateway deployment.
 *
 * @param maxInlineBytes   largest body sent inline; above it the body is stored and the client redirected
 *                         (API Gateway + Lambda: 6 MB envelope, ~4.5 MB of base64-encoded binary)
 * @param responseByteLimit largest array selection served at all (Tiled's own limit: 300,000,000 bytes)
 * @param resultPrefix     object-store prefix under which oversized results are materialised
 * @param presignTtl       lifetime of the redirect URLs to materialised results
 * @param libraryVersion   the Tiled version reported in the about document (PEP 440)
 */
public record GatewayConfig(long maxInlineBytes, long responseByteLimit, String resultPrefix, Duration presignTtl,
                            String libraryVersion) {

    public static GatewayConfig defaults() {
        return new GatewayConfig(4_500_000, 300_000_000, "_results/", Duration.ofMinutes(15), "0.2.16");
    }

    public GatewayConfig withMaxInlineBytes(long n) {
        return new GatewayConfig(n, responseByteLimit, resultPrefix, presignTtl, libraryVersion);
    }
}
