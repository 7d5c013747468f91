package dev.tiledgateway.core.route;

import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.http.Response;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The large-response path: a body above the inline ceiling is streamed once into the object store under a key
 * derived from its ETag, and the client is redirected to a presigned URL of it. Later identical requests are
 * redirected without recomputing. The object holds exactly the bytes the client would have got inline.
 *
 * <p>No body exceeds the response limit: a producer that writes more is stopped there, with a 400 and nothing
 * stored. Large bodies are produced a few at a time ({@link ResultSlots}).
 */
public final class ResultStore {

    private final BlobStore store;
    private final GatewayConfig config;
    private final ResultSlots slots;
    /**
     * Keys this process materialised, with when, so results of unknown size are looked for again (one HEAD)
     * only when this process stored them. Entries count for an hour: far less than the bucket's one-day expiry.
     */
    private final java.util.Map<String, Long> known = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> e) { return size() > 10_000; }
    });
    private static final long TRUST_MILLIS = 3_600_000;

    public ResultStore(BlobStore store, GatewayConfig config) {
        this.store = store;
        this.config = config;
        this.slots = new ResultSlots(config.maxMaterialising(), config.materialiseWait());
    }

    public long maxInlineBytes() { return config.maxInlineBytes(); }

    public long responseByteLimit() { return config.responseByteLimit(); }

    /** A turn to produce a result known to be large; 503 when none frees up in time. */
    public ResultSlots.Slot slot() { return slots.acquire(); }

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
     * The URL is signed before the store is asked, so a store that expires results sees it handed out first.
     */
    public Optional<Response> existing(Call call, String etag, boolean probe) throws IOException {
        String key = keyOf(etag);
        Long at = known.get(key);
        boolean trusted = at != null && System.currentTimeMillis() - at <= TRUST_MILLIS;
        if (!trusted && !probe) return Optional.empty();
        Optional<URI> signed = store.presignGet(key, config.presignTtl());
        if (signed.isEmpty()) return Optional.empty(); // nothing to redirect to: the body is made again
        if (store.size(key).isEmpty()) {
            known.remove(key);
            return Optional.empty();
        }
        if (!trusted) known.put(key, System.currentTimeMillis());
        return Optional.of(redirect(call, signed.get(), etag));
    }

    /** What writing a body came to: bytes to send inline, or a redirect to where it was stored. */
    public sealed interface Written {
        /** A body within the inline ceiling. */
        record Inline(byte[] body) implements Written {}

        /** A body stored in full, and the answer that sends the client to it. */
        record Stored(Response redirect) implements Written {}
    }

    /**
     * Runs {@code producer} once and keeps its bytes in memory while they fit the inline ceiling; past it (or from
     * the start when {@code slot} is given, for a body known to be large) they stream into the store under the
     * ETag's key, in a slot of their own (taken then, if not given). Nothing is stored unless the producer returns.
     */
    public Written write(Call call, String etag, ResultSlots.Slot slot, BlobStore.Content producer) throws IOException {
        Spill out = new Spill(keyOf(etag), slot);
        Throwable failure = null;
        try {
            if (slot != null) out.spill();
            try {
                producer.writeTo(out);
            } catch (IOException | RuntimeException | Error e) {
                // The producer may have wrapped (or swallowed) the refusal of its output: the refusal is the answer.
                if (out.refusal != null) throw out.refusal;
                throw e;
            }
            if (out.refusal != null) throw out.refusal;
            if (out.target == null) return new Written.Inline(out.buffer.bytes());
            out.target.commit();
            known.put(out.key, System.currentTimeMillis());
            return new Written.Stored(redirect(call, out.location, etag));
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            out.release(failure);
        }
    }

    /**
     * The producer's output: in memory up to the inline ceiling, then in the store; no byte past the response
     * limit. Closing it does nothing: the result store owns the write.
     */
    private final class Spill extends OutputStream {
        final String key;
        final InlineBuffer buffer = new InlineBuffer();
        private ResultSlots.Slot slot;
        private boolean ownSlot;
        BlobWriter target;
        URI location;
        long written;
        TiledException refusal;

        Spill(String key, ResultSlots.Slot slot) {
            this.key = key;
            this.slot = slot;
        }

        /** From here on, bytes go to the store: in a slot, under a URL signed before the object exists. */
        void spill() throws IOException {
            try {
                if (slot == null) {
                    slot = slots.acquire();
                    ownSlot = true;
                }
                location = presign(key);
            } catch (TiledException e) {
                refusal = e; // the answer, however the producer passes it on
                throw e;
            }
            target = store.openWrite(key);
            buffer.writeTo(target);
            buffer.reset();
        }

        @Override
        public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (refusal != null) throw refusal;
            if (written + len > config.responseByteLimit()) {
                refusal = TiledException.badRequest("The response would exceed " + config.responseByteLimit()
                        + " bytes in the requested format and was stopped there. Request less: a smaller slice ('?slice=...'), "
                        + "fewer columns, or a more compact format such as application/octet-stream.");
                throw refusal;
            }
            // Serializing is CPU work without a pause: on a virtual thread, let others have the carrier now and then.
            if (Thread.currentThread().isVirtual() && (written + len) >> 20 != written >> 20) Thread.yield();
            written += len;
            if (target == null && buffer.size() + (long) len > config.maxInlineBytes()) spill();
            if (target != null) target.write(b, off, len);
            else buffer.write(b, off, len);
        }

        @Override
        public void close() {}

        /** Abandons an uncommitted write and frees a slot taken here; a failure to abandon does not hide {@code failure}. */
        void release(Throwable failure) throws IOException {
            try {
                if (target != null) target.close();
            } catch (IOException | RuntimeException e) {
                if (failure == null) throw e;
                failure.addSuppressed(e);
            } finally {
                if (ownSlot) slot.close();
            }
        }
    }

    /**
     * An inline body in memory. A body written in one piece (an array's bytes) is held in an array of exactly its
     * size, and a buffer that is full is handed over as it is: an 8 MB block is copied once here, not grown by
     * doubling and copied again at the end.
     */
    static final class InlineBuffer extends ByteArrayOutputStream {

        InlineBuffer() { super(256); }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count == 0 && len > buf.length) buf = new byte[len];
            super.write(b, off, len);
        }

        /** The bytes written, in the buffer's own array when it is exactly full (the buffer is not used after). */
        byte[] bytes() { return count == buf.length ? buf : java.util.Arrays.copyOf(buf, count); }
    }

    private URI presign(String key) {
        return store.presignGet(key, config.presignTtl()).orElseThrow(() -> TiledException.badRequest(
                "Response would exceed " + config.maxInlineBytes() + " bytes and this store cannot hand out download URLs. "
                        + "Use slicing ('?slice=...') to request smaller chunks."));
    }

    private Response redirect(Call call, URI uri, String etag) {
        String location = uri.isAbsolute() ? uri.toString() : call.request().origin() + uri;
        Response r = Response.redirect(307, location);
        dev.tiledgateway.core.observe.RequestTrace.redirected();
        r.header("ETag", etag);
        r.header("Cache-Control", "no-store");
        return r;
    }
}
