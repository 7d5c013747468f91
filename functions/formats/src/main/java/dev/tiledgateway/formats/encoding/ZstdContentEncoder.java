package dev.tiledgateway.formats.encoding;

import dev.tiledgateway.core.serialize.ContentEncoder;

/** zstd as a response {@code Content-Encoding}: preferred over gzip, as Tiled prefers it. */
public final class ZstdContentEncoder implements ContentEncoder {

    @Override
    public String name() { return ZstdEncoding.NAME; }

    @Override
    public int preference() { return 50; }

    @Override
    public byte[] encode(byte[] body) { return ZstdEncoding.compress(body); }
}
