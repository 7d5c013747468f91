package dev.tiledgateway.core.route;

import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The large-response path: a body above the inline ceiling is written once to the object store under a key
 * derived from its ETag, and the client is redirected to a presigned URL of it. Later identical requests are
 * redirected without recomputing. The object holds exactly the bytes the client would have got inline.
 */
public final class ResultStore {

    private final BlobStore store;
    private final GatewayConfig config;
    /**
     * Keys this process materialised, with when, so results of unknown size are found again without asking the
     * store. Entries are trusted for an hour: far less than the bucket's one-day expiry of materialised results.
     */
    private final java.util.Map<String, Long> known = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> e) { return size() > 10_000; }
    });
    private static final long TRUST_MILLIS = 3_600_000;

    public ResultStore(BlobStore store, GatewayConfig config) {
        this.store = store;
        this.config = config;
    }

    public long maxInlineBytes() { return config.maxInlineBytes(); }

    private String keyOf(String etag) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(etag.getBytes(StandardCharsets.UTF_8));
            return config.resultPrefix() + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A redirect to an already materialised result for {@code etag}, if there is one. {@code probe} asks the
     * store (one HEAD) when this process does not know the result; without it only known results are found.
     */
    public Optional<Response> existing(Call call, String etag, boolean probe) throws IOException {
        String key = keyOf(etag);
        Long at = known.get(key);
        if (at == null || System.currentTimeMillis() - at > TRUST_MILLIS) {
            if (!probe || store.size(key).isEmpty()) return Optional.empty();
            known.put(key, System.currentTimeMillis());
        }
        return Optional.of(redirect(call, key, etag));
    }

    /** Stores {@code body} and answers with a redirect to it. */
    public Response materialise(Call call, String etag, byte[] body) throws IOException {
        String key = keyOf(etag);
        store.put(key, body);
        known.put(key, System.currentTimeMillis());
        return redirect(call, key, etag);
    }

    private Response redirect(Call call, String key, String etag) {
        URI uri = store.presignGet(key, config.presignTtl()).orElseThrow(() -> TiledException.badRequest(
                "Response would exceed " + config.maxInlineBytes() + " bytes and this store cannot hand out download URLs. "
                        + "Use slicing ('?slice=...') to request smaller chunks."));
        String location = uri.isAbsolute() ? uri.toString() : call.request().origin() + uri;
        Response r = Response.redirect(307, location);
        r.header("ETag", etag);
        r.header("Cache-Control", "no-store");
        return r;
    }
}
