package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import dev.pons.targets.control.SigningSecrets;

/**
 * webhook-signature checked against what receivers use: the Standard Webhooks specification's published
 * test vector and the official Java library ({@code com.standardwebhooks:standardwebhooks}).
 */
class StandardSignerTest {

    // The specification's test vector.
    static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long SPEC_TIMESTAMP = 1614265330L;
    static final String SPEC_BODY = "{\"test\": 2432232314}";

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What the official library computes: the same bytes, read back as the string it takes. */
    private static String official(String secret, String id, long seconds, String body) throws Exception {
        return new Webhook(secret).sign(id, seconds, body);
    }

    @Test
    void matchesTheSpecificationsTestVector() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                StandardSigner.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, utf8(SPEC_BODY)));
    }

    @Test
    void matchesTheOfficialJavaLibraryForAGeneratedSecretAndANonAsciiBody() throws Exception {
        String secret = SigningSecrets.generate();
        String body = "{\"text\":\"héllo ✓ 👋\"}";
        assertEquals(official(secret, "dlv_1", 1_700_000_000L, body),
                StandardSigner.sign(secret, "dlv_1", 1_700_000_000L, utf8(body)));
    }

    @Test
    void theOfficialLibraryVerifiesBothSignaturesOfARotation() throws Exception {
        String current = SigningSecrets.generate();
        String previous = SigningSecrets.generate();
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"a\":1}";
        Map<String, List<String>> headers = Map.of("webhook-id", List.of("dlv_1"),
                "webhook-timestamp", List.of(String.valueOf(now)),
                "webhook-signature", List.of(StandardSigner.signature(current, previous, "dlv_1", now, utf8(body))));

        assertDoesNotThrow(() -> new Webhook(current).verify(body, headers));
        assertDoesNotThrow(() -> new Webhook(previous).verify(body, headers));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(SigningSecrets.generate()).verify(body, headers));
    }

    @Test
    void duringARotationTheNewSignatureComesFirst() {
        byte[] body = utf8("{}");
        String both = StandardSigner.signature("whsec_bmV3", "whsec_b2xk", "dlv_1", 5L, body);
        assertEquals(StandardSigner.sign("whsec_bmV3", "dlv_1", 5L, body) + " "
                + StandardSigner.sign("whsec_b2xk", "dlv_1", 5L, body), both);
        assertEquals(StandardSigner.sign("whsec_bmV3", "dlv_1", 5L, body),
                StandardSigner.signature("whsec_bmV3", null, "dlv_1", 5L, body));
    }

    @Test
    void anOlderBase64UrlSecretSignsWithTheBytesItEncodes() throws Exception {
        // Secrets made before the standard alphabet: unpadded base64url. One with '-' and '_' in it.
        byte[] raw = new byte[32];
        raw[0] = (byte) 0xfb;
        raw[1] = (byte) 0xff;
        raw[2] = (byte) 0xbf;
        String old = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertTrue(old.contains("-") && old.contains("_"), old);
        assertArrayEquals(raw, StandardSigner.key(old));

        // The official library refuses that secret, and accepts it translated to the standard alphabet.
        assertThrows(IllegalArgumentException.class, () -> new Webhook(old));
        String translated = "whsec_" + old.substring("whsec_".length()).replace('-', '+').replace('_', '/');
        assertEquals(official(translated, "dlv_1", 1_700_000_000L, "{}"),
                StandardSigner.sign(old, "dlv_1", 1_700_000_000L, utf8("{}")));
    }

    @Test
    void theKeyIsTheDecodedSecretNotItsText() {
        assertArrayEquals(Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), StandardSigner.key(SPEC_SECRET));
        // Without the prefix the same key: the official libraries strip it when present.
        assertArrayEquals(StandardSigner.key(SPEC_SECRET), StandardSigner.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    }

    @Test
    void idAndTimestampArePartOfTheSignature() {
        byte[] body = utf8(SPEC_BODY);
        String signed = StandardSigner.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, body);
        assertNotEquals(signed, StandardSigner.sign(SPEC_SECRET, SPEC_ID + "x", SPEC_TIMESTAMP, body));
        assertNotEquals(signed, StandardSigner.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP + 1, body));
    }

    @Test
    void refusesASecretThatIsNotBase64() {
        assertThrows(IllegalArgumentException.class, () -> StandardSigner.key("whsec_a-b+c"));
        assertThrows(IllegalArgumentException.class, () -> StandardSigner.key("whsec_"));
    }

    @Test
    void everyAttemptCarriesBothSchemesForTheSameInstant() throws Exception {
        String secret = SigningSecrets.generate();
        String previous = SigningSecrets.generate();
        byte[] body = utf8("{\"a\":1}");
        Claim claim = new Claim("dlv_7", 1, 1, 2, "evt_1", "message.inbound.received", body,
                "acc_1", "whk_1", URI.create("http://127.0.0.1/hook"), 1_000, secret, previous, Map.of(), 1, 1, false, false, null, false, null);

        Map<String, String> headers = Sender.headers(claim, 1_700_000_000_999L);
        assertEquals("1700000000999", headers.get("X-Pons-Timestamp"));
        assertEquals("dlv_7", headers.get("webhook-id"));
        assertEquals(headers.get("X-Pons-Delivery-Id"), headers.get("webhook-id"));
        assertEquals("1700000000", headers.get("webhook-timestamp"), "whole seconds, rounded down");
        assertEquals(official(secret, "dlv_7", 1_700_000_000L, "{\"a\":1}") + " "
                + official(previous, "dlv_7", 1_700_000_000L, "{\"a\":1}"), headers.get("webhook-signature"));
        assertEquals(Signer.sign(secret, 1_700_000_000_999L, body), headers.get("X-Pons-Signature"));

        Claim settled = new Claim("dlv_7", 1, 1, 2, "evt_1", "message.inbound.received", body,
                "acc_1", "whk_1", URI.create("http://127.0.0.1/hook"), 1_000, secret, null, Map.of(), 1, 1, false, false, null, false, null);
        String single = Sender.headers(settled, 1_700_000_000_999L).get("webhook-signature");
        assertEquals(official(secret, "dlv_7", 1_700_000_000L, "{\"a\":1}"), single);
        assertEquals(List.of("webhook-id", "webhook-signature", "webhook-timestamp"),
                headers.keySet().stream().filter(name -> name.startsWith("webhook-")).sorted().collect(Collectors.toList()));
    }
}
