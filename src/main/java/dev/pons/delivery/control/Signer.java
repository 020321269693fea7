package dev.pons.delivery.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Pons-Signature} value (src/docs/webhooks.md, "Headers and signature"): what a receiver
 * computes with nothing but the secret as shown to the user, the timestamp header and the raw body
 * bytes it received.
 */
public final class Signer {

    private static final String ALGORITHM = "HmacSHA256";

    private Signer() {
    }

    /**
     * @param secret the signing secret string exactly as shown to the user; its UTF-8 bytes are the key
     * @param body   the stored envelope bytes, signed as they are sent (never re-serialised)
     * @return lowercase hex HMAC-SHA256 over {@code <timestampMillis>.<body>}
     */
    public static String sign(String secret, long timestampMillis, byte[] body) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(body, "body");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("signing secret must not be empty");
        }
        Mac mac = newMac(secret.getBytes(StandardCharsets.UTF_8));
        mac.update(Long.toString(timestampMillis).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '.');
        mac.update(body);
        return HexFormat.of().formatHex(mac.doFinal());
    }

    /** An HMAC-SHA256 keyed with {@code key}: the one both signatures of an attempt are made with. */
    static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256, so this is a broken runtime, not bad input.
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }
}
