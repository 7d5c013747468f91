package dev.tiledgateway.local;

import dev.tiledgateway.embedded.store.FileBlobStore;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Presigned URLs for the embedded object store, served by the local server at {@code /_blob/{key}}:
 * an HMAC over key and expiry with a per-process secret, like S3's query-string signatures.
 */
final class BlobUrls implements FileBlobStore.UrlSigner {

    static final String PREFIX = "/_blob/";

    private final byte[] secret = new byte[32];

    BlobUrls() {
        new SecureRandom().nextBytes(secret);
    }

    @Override
    public URI sign(String key, Duration ttl) {
        long expires = Instant.now().plus(ttl).getEpochSecond();
        String path = PREFIX + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/").replace("+", "%20");
        return URI.create(path + "?expires=" + expires + "&signature=" + signature(key, expires));
    }

    /** True when {@code signature} is this process's signature of key and expiry, and it has not expired. */
    boolean verify(String key, String expires, String signature) {
        long exp;
        try {
            exp = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Instant.now().getEpochSecond() > exp || signature == null) return false;
        return MessageDigest.isEqual(signature(key, exp).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(String key, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((key + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
