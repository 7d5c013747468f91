package dev.tiledgateway.formats.encoding;

import com.github.luben.zstd.Zstd;

/**
 * The {@code zstd} content coding for responses (spec §2.7): the whole body as one Zstandard frame at level 3
 * (the library's default level), with the content size in the frame header, as httpx's decoder takes it.
 */
public final class ZstdEncoding {

    /** The {@code Content-Encoding} / {@code Accept-Encoding} token. */
    public static final String NAME = "zstd";
    public static final int LEVEL = 3;

    private ZstdEncoding() {}

    /** {@code body} compressed as a single frame. */
    public static byte[] compress(byte[] body) {
        return Zstd.compress(body, LEVEL);
    }
}
