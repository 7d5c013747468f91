package dev.tiledgateway.core.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One stored version of an object: its key, its size, and a {@code tag} that differs whenever its bytes
 * differ (S3's ETag and version id; a folder store's file identity, times and, for recently written files,
 * a hash of the content). Equal tags may still be different versions of identical bytes.
 */
public record ObjectVersion(String key, long size, String tag) {

    /**
     * A short, stable identity of a set of object versions (an array's chunks, a table's parts): any change
     * of any key, size or tag changes it.
     */
    public static String fingerprint(List<ObjectVersion> versions) {
        MessageDigest md = sha256();
        for (ObjectVersion v : versions) {
            md.update(v.key().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Long.toString(v.size()).getBytes(StandardCharsets.US_ASCII));
            md.update((byte) 0);
            md.update(v.tag().getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    /** The fingerprint that follows {@code previous} once {@code changed} was written (or removed, when absent). */
    public static String next(String previous, String key, ObjectVersion changed) {
        MessageDigest md = sha256();
        md.update(String.valueOf(previous).getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        md.update(key.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update((changed == null ? "absent" : changed.size() + "\0" + changed.tag()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
