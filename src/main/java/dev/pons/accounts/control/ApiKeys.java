package dev.pons.accounts.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import dev.pons.accounts.entity.ApiKey;
import dev.pons.platform.control.Ids;

/**
 * Account API keys. Only the hash is stored: the key is shown once at creation, and a leaked database
 * does not let anyone call the API. A plain SHA-256 is enough (no salt, no slow hash) because the key
 * carries 256 random bits, and it lets a request's key be found with one indexed lookup.
 */
public final class ApiKeys {

    public static final String PREFIX = "pons_";

    /** The name of the key an account is created with. */
    public static final String FIRST_KEY_NAME = "Default";

    static final int PREVIEW_CHARS = 4;

    /** A key just made, with the one copy of it that leaves the server: the caller shows it once. */
    public record Issued(ApiKey apiKey, String key) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** {@code pons_} + 32 random bytes as unpadded base64url; the prefix makes leaked keys easy to scan for. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new key of the account and its row, to be persisted by the caller. */
    public static Issued issue(String accountId, String name, long now) {
        String key = generate();
        return new Issued(new ApiKey(Ids.next("key", now), accountId, name, hash(key), preview(key), now), key);
    }

    /**
     * What lists show instead of the key: the prefix and the last four characters, enough to tell the
     * account's keys apart and far too little to guess one. A key too short to spare four characters
     * (never one made by {@link #generate}) shows only the prefix.
     */
    public static String preview(String key) {
        String body = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
        if (body.length() < 4 * PREVIEW_CHARS) {
            return PREFIX + "…";
        }
        return PREFIX + "…" + body.substring(body.length() - PREVIEW_CHARS);
    }

    /** Lowercase hex SHA-256 of the key's UTF-8 bytes: the form that is stored and looked up. */
    public static String hash(String key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        return HexFormat.of().formatHex(sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
