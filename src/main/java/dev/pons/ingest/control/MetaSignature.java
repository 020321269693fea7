package dev.pons.ingest.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Meta's {@code X-Hub-Signature-256: sha256=<hex>} header: HMAC-SHA256 over the raw request body,
 * keyed with the app secret. The digest must be computed over the bytes exactly as received: Meta
 * escapes Unicode and slashes ({@code \u00e9}, {@code \/}), so re-serialised JSON never matches.
 */
public final class MetaSignature {

    /** Meta sends the prefix in lower case; anything else is not a Meta signature. */
    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int DIGEST_HEX_LENGTH = 64;
    private static final HexFormat HEX = HexFormat.of();

    private MetaSignature() {
    }

    /**
     * True only when the header carries the HMAC of {@code rawBody} under {@code appSecret}. Never
     * throws: a missing, malformed or wrong header, and a missing secret, are all just "not verified".
     */
    public static boolean verify(byte[] rawBody, String headerValue, String appSecret) {
        if (rawBody == null || !isUsable(appSecret)) {
            return false;
        }
        byte[] claimed = claimedDigest(headerValue);
        if (claimed == null) {
            return false;
        }
        // Constant time, so response timing does not reveal how many leading bytes were right.
        return MessageDigest.isEqual(hmac(rawBody, appSecret), claimed);
    }

    /** The header value Meta would send for {@code body}: {@code sha256=<lowercase hex>}. */
    public static String sign(byte[] body, String appSecret) {
        Objects.requireNonNull(body, "body");
        if (!isUsable(appSecret)) {
            throw new IllegalArgumentException("app secret must not be empty");
        }
        return PREFIX + HEX.formatHex(hmac(body, appSecret));
    }

    /**
     * An empty secret cannot key an HMAC, and accepting anything with it would turn a configuration
     * mistake into an open door.
     */
    private static boolean isUsable(String appSecret) {
        return appSecret != null && !appSecret.isEmpty();
    }

    /** The digest bytes the header claims, or null when the header is not a well-formed signature. */
    private static byte[] claimedDigest(String headerValue) {
        if (headerValue == null || !headerValue.startsWith(PREFIX)) {
            return null;
        }
        String hex = headerValue.substring(PREFIX.length());
        if (hex.length() != DIGEST_HEX_LENGTH || !isHex(hex)) {
            return null;
        }
        return HEX.parseHex(hex);
    }

    /** ASCII only: Character.digit would also accept non-ASCII digits, which HexFormat rejects. */
    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hexDigit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hexDigit) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hmac(byte[] body, String appSecret) {
        try {
            // Mac instances are not thread safe; a new one per call is cheap next to the hashing.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides " + ALGORITHM, e);
        }
    }
}
