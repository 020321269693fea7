package dev.pons.it;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a customer writes from our docs, independently of the server's code: HMAC-SHA256 keyed with
 * the secret's UTF-8 bytes over "<X-Pons-Timestamp>.<raw body>", lowercase hex; and the Standard
 * Webhooks headers checked by that specification's official Java library.
 */
public final class Verifier {

    private Verifier() {
    }

    public static String expected(String secret, String timestamp, byte[] rawBody) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            return HexFormat.of().formatHex(mac.doFinal(rawBody));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean verifies(String secret, Receiver.Request request) {
        return expected(secret, request.header("X-Pons-Timestamp"), request.body())
                .equals(request.header("X-Pons-Signature"));
    }

    /** The official Standard Webhooks library accepts the request's webhook-* headers for this secret. */
    public static boolean verifiesStandard(String secret, Receiver.Request request) {
        try {
            new Webhook(secret).verify(new String(request.body(), StandardCharsets.UTF_8), request.headers());
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }
}
