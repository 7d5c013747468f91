package dev.tiledgateway.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * API key secrets: 36 random bytes, hex-encoded (the Tiled client only sends keys made of word characters), of
 * which only the SHA-256 is stored; the first eight characters name a key in listings and revocations.
 */
public final class ApiKeySecrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** What the client accepts as a key, and what a server-side key given by an operator must look like. */
    public static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_]{8,256}");

    private ApiKeySecrets() {}

    public static String generate() {
        byte[] b = new byte[36];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The stored form: SHA-256 of the secret, hex. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String firstEight(String secret) { return secret.substring(0, Math.min(8, secret.length())); }

    /** Equality of two hashes in time independent of where they differ. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
