package dev.pons.delivery.control;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;

import dev.pons.targets.control.SigningSecrets;

/**
 * The {@code webhook-signature} value of the Standard Webhooks specification (src/docs/webhooks.md,
 * "Headers and signature"), so receivers can verify with the official libraries unchanged.
 */
public final class StandardSigner {

    private StandardSigner() {
    }

    /**
     * @param secret           the target's signing secret; the bytes its part after {@code whsec_} encodes are the key
     * @param previousSecret   the secret a rotation replaced, during its grace period; otherwise null
     * @param id               the {@code webhook-id} header, the delivery id
     * @param timestampSeconds the {@code webhook-timestamp} header
     * @param body             the stored envelope bytes, signed as they are sent
     * @return {@code v1,<signature>}, or {@code v1,<new> v1,<previous>} with a previous secret
     */
    public static String signature(String secret, String previousSecret, String id, long timestampSeconds, byte[] body) {
        String current = sign(secret, id, timestampSeconds, body);
        return previousSecret == null ? current : current + " " + sign(previousSecret, id, timestampSeconds, body);
    }

    /** {@code v1,} + standard base64 of HMAC-SHA256 over {@code <id>.<timestampSeconds>.<body>}. */
    public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        Mac mac = Signer.newMac(key(secret));
        mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        mac.update(body);
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
    }

    /**
     * The HMAC key a secret encodes. Secrets are standard base64 after the prefix; older ones are
     * unpadded base64url, which the URL-safe decoder reads to the same kind of 32 bytes, so their
     * receivers get correct signatures too. Both decoders accept missing padding.
     */
    static byte[] key(String secret) {
        Objects.requireNonNull(secret, "secret");
        String encoded = secret.startsWith(SigningSecrets.PREFIX) ? secret.substring(SigningSecrets.PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException notStandard) {
            try {
                key = Base64.getUrlDecoder().decode(encoded);
            } catch (IllegalArgumentException notUrlSafe) {
                throw new IllegalArgumentException("signing secret is not base64 after " + SigningSecrets.PREFIX, notUrlSafe);
            }
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("signing secret must not be empty");
        }
        return key;
    }
}
