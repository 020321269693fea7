package dev.pons.it;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a customer writes from our docs, independently of the server's code: HMAC-SHA256 keyed with
 * the secret's UTF-8 bytes over "<X-Pons-Timestamp>.<raw body>", lowercase hex.
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
}
