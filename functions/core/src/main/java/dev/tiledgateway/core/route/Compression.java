package dev.tiledgateway.core.route;

import dev.tiledgateway.core.http.Accept;
import dev.tiledgateway.core.http.Request;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.serialize.ContentEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Response compression as Tiled does it: only when the client accepts a coding we have (weight above 0, by name or
 * {@code *}), the body is at least 1000 bytes of a compressible type, and compression saves more than 10%.
 */
final class Compression {

    private static final int THRESHOLD = 1000;
    private static final Set<String> COMPRESSIBLE = Set.of("application/json", "application/x-msgpack", "application/octet-stream",
            "application/vnd.apache.arrow.file", "text/csv", "text/plain", "text/html", "text/x-comma-separated-values",
            "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    /** The encoders on the class path plus gzip, in preference order. */
    private static final java.util.List<ContentEncoder> ENCODERS = discover();

    private Compression() {}

    private static java.util.List<ContentEncoder> discover() {
        java.util.List<ContentEncoder> all = new java.util.ArrayList<>();
        java.util.ServiceLoader.load(ContentEncoder.class).forEach(all::add);
        all.add(new ContentEncoder() {
            public String name() { return "gzip"; }

            public int preference() { return 100; }

            public byte[] encode(byte[] body) { return gzip(body); }
        });
        all.sort(java.util.Comparator.comparingInt(ContentEncoder::preference));
        return java.util.List.copyOf(all);
    }

    static Response apply(Request req, Response r) {
        String ct = r.contentType();
        if (r.body().length < THRESHOLD || ct == null || r.header("Content-Encoding") != null) return r;
        String base = ct.contains(";") ? ct.substring(0, ct.indexOf(';')).strip() : ct;
        if (!COMPRESSIBLE.contains(base)) return r;
        java.util.List<Accept.Item> accepted = Accept.parse(req.headers().get("accept-encoding").orElse(""));
        ContentEncoder encoder = null;
        // our preference among the codings the client weighs above 0 (by name or by '*')
        for (ContentEncoder c : ENCODERS) if (Accept.quality(accepted, c.name()) > 0) { encoder = c; break; }
        if (encoder == null) return r;
        // Random-looking data (float arrays, already compressed formats) does not compress: try a sample
        // first, so a large body is not compressed only to be thrown away.
        int sample = 64 * 1024;
        if (r.body().length > 4 * sample) {
            byte[] head = encoder.encode(java.util.Arrays.copyOf(r.body(), sample));
            if (head.length * 10L >= sample * 9L) return r;
        }
        byte[] z = encoder.encode(r.body());
        if (z.length * 10L >= r.body().length * 9L) return r;
        r.body(z);
        r.header("Content-Encoding", encoder.name());
        r.header("Vary", "Accept-Encoding");
        return r;
    }

    private static byte[] gzip(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 65536) {{ def.setLevel(java.util.zip.Deflater.BEST_SPEED); }}) {
            gz.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
