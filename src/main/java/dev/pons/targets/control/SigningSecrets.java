package dev.pons.targets.control;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signing secrets of webhook targets. The whole string, prefix included, is the HMAC key receivers
 * use (src/docs/webhooks.md, "Headers and signature"), so it is made of characters that survive copy
 * and paste and env files.
 */
public final class SigningSecrets {

    public static final String PREFIX = "whsec_";
    static final String MASK = "••••••";
    static final int PREVIEW_CHARS = 6;

    private static final SecureRandom RANDOM = new SecureRandom();

    private SigningSecrets() {
    }

    /** {@code whsec_} + 32 random bytes as unpadded base64url (256 bits, 43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
