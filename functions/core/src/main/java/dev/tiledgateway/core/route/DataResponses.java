package dev.tiledgateway.core.route;

import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.ContentDisposition;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.serialize.Serializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The common tail of every data route: ETag from node revision and the normalised request,
 * 304 on a match, refusal of what would exceed the response limit, redirect to a materialised result above the
 * inline ceiling, else the body inline.
 */
public final class DataResponses {

    /** Produces the payload to serialize; only called when the bytes are really needed. */
    @FunctionalInterface
    public interface PayloadSource {
        Object read() throws IOException;
    }

    private final ResultStore results;

    public DataResponses(ResultStore results) { this.results = results; }

    /**
     * @param canonical a normalised description of what was selected (same selection -> same string)
     * @param estimate  about how many bytes the serializer will write, if it can tell before reading (see
     *                  {@link Serializer#estimateArrayBytes}), else -1. Over the response limit, the request is
     *                  refused before anything is read; over the inline ceiling, it waits for a slot first.
     */
    public Response respond(Call call, Node node, Serializer serializer, String canonical, long estimate, PayloadSource source)
            throws IOException {
        return respond(call, node, serializer, canonical, estimate, source, null);
    }

    /** The same, and an inline body is kept in {@code cache} (if not null) and answered from it while it is there. */
    public Response respond(Call call, Node node, Serializer serializer, String canonical, long estimate, PayloadSource source,
                            InlineResultCache cache) throws IOException {
        String etag = etag(node, serializer.mediaType() + "|" + canonical);
        Optional<String> inm = call.request().headers().get("if-none-match");
        if (inm.isPresent() && inm.get().equals(etag)) {
            Response r = new Response(304, null, new byte[0]);
            r.header("ETag", etag);
            return r;
        }
        if (estimate > results.responseByteLimit())
            throw TiledException.badRequest(String.format(java.util.Locale.ROOT,
                    "This %s response would be about %,d bytes, over the limit of %,d bytes per response. Request a smaller slice "
                            + "('?slice=...') or a more compact format (application/octet-stream is the array's own bytes).",
                    serializer.mediaType(), estimate, results.responseByteLimit()));
        byte[] kept = cache == null ? null : cache.get(etag);
        if (kept != null) return inline(call, serializer, etag, kept);
        boolean large = estimate > results.maxInlineBytes();
        // Known-large results are looked up in the store; results of unknown size only if this process stored them.
        if (estimate < 0 || large) {
            Optional<Response> cached = results.existing(call, etag, large);
            if (cached.isPresent()) return cached.get();
        }
        ResultStore.Written written;
        if (large) {
            try (ResultSlots.Slot slot = results.slot()) {
                written = slot.run(() -> produce(call, etag, serializer, source, slot));
            }
        } else {
            written = produce(call, etag, serializer, source, null);
        }
        if (written instanceof ResultStore.Written.Stored stored) return stored.redirect();
        byte[] body = ((ResultStore.Written.Inline) written).body();
        if (cache != null) cache.put(etag, body);
        return inline(call, serializer, etag, body);
    }

    private static Response inline(Call call, Serializer serializer, String etag, byte[] body) {
        Response r = new Response(200, serializer.contentType(), body);
        r.header("ETag", etag);
        call.request().query().first("filename").ifPresent(f -> r.header("Content-Disposition", ContentDisposition.attachment(f)));
        return r;
    }

    private ResultStore.Written produce(Call call, String etag, Serializer serializer, PayloadSource source, ResultSlots.Slot slot)
            throws IOException {
        Object payload = source.read();
        try {
            // A body that is the payload's own bytes (an array's raw bytes) and fits inline goes out as it is.
            byte[] asIs = slot == null ? serializer.asIs(payload) : null;
            if (asIs != null && asIs.length <= results.maxInlineBytes() && asIs.length <= results.responseByteLimit())
                return new ResultStore.Written.Inline(asIs);
            return results.write(call, etag, slot, out -> serializer.write(payload, out));
        } finally {
            // Format payloads may hold off-heap memory (Arrow): free it as soon as the bytes exist.
            if (payload instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IOException("could not release a payload: " + e.getMessage(), e);
                }
            }
        }
    }

    static String etag(Node node, String what) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((node.dataKey() + "|" + what).getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(md.digest(), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Names a request selects (columns, fields, buffer keys) as they go into its canonical form: a JSON list, which
     * no two selections share ({@code List.toString} prints the columns "a", "b" and the one column "a, b" alike).
     */
    static String names(java.util.Collection<String> names) { return Json.text(CatalogJson.strings(names)); }
}
