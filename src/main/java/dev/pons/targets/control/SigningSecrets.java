package dev.pons.targets.control;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signing secrets of webhook targets (src/docs/webhooks.md, "Headers and signature"). One string
 * serves both signatures: its UTF-8 bytes, prefix included, key {@code X-Pons-Signature}; the bytes
 * its part after {@code whsec_} encodes key {@code webhook-signature}, the Standard Webhooks format,
 * whose libraries decode that part with standard base64.
 */
public final class SigningSecrets {

    public static final String PREFIX = "whsec_";
    static final String MASK = "••••••";
    static final int PREVIEW_CHARS = 6;

    private static final SecureRandom RANDOM = new SecureRandom();

    private SigningSecrets() {
    }

    /**
     * {@code whsec_} + 32 random bytes (256 bits) as standard padded base64 (RFC 4648 section 4, 44
     * characters), the form the official Standard Webhooks libraries take as it is.
     */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * What the API shows instead of the secret: enough to tell two secrets apart, too little to sign.
     * A secret shorter than twice the preview (never one made by {@link #generate}) shows only the
     * mask, so the preview never gives away half of it.
     */
    public static String preview(String secret) {
        if (secret == null || secret.length() < 2 * PREVIEW_CHARS) {
            return MASK;
        }
        return MASK + secret.substring(secret.length() - PREVIEW_CHARS);
    }
}
