package dev.tiledgateway.core.serialize;

/**
 * A response compression ({@code Content-Encoding}) beyond the built-in gzip, e.g. zstd from a codec library;
 * registered through {@link java.util.ServiceLoader}. Tiled's preference order puts zstd before gzip.
 */
public interface ContentEncoder {

    /** The token in Accept-Encoding and Content-Encoding, e.g. {@code zstd}. */
    String name();

    /** Lower sorts first when several are accepted (gzip is 100). */
    int preference();

    byte[] encode(byte[] body);
}
