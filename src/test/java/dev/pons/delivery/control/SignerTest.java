package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The expected digests were made outside Java, the way a receiver would check them, e.g.
 * {@code printf '%s' '1700000000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test'}.
 */
class SignerTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void matchesOpenssl() {
        assertEquals("33284ebef248a1f463f81384bfb39351b857cb4897c654b820611536fa084f1e",
                Signer.sign("whsec_test", 1_700_000_000_000L, utf8("{\"a\":1}")));
    }

    @Test
    void signsTheRawUtf8BytesOfANonAsciiBody() {
        // printf '%s' '1700000000000.{"text":"héllo ✓ 👋"}' | openssl dgst -sha256 -hmac 'whsec_test'
        assertEquals("71060bf12a419123bc38e3b4bb8ee61a04b3a123a4d9b18cd674b0ccb0447a9e",
                Signer.sign("whsec_test", 1_700_000_000_000L, utf8("{\"text\":\"héllo ✓ 👋\"}")));
    }

    @Test
    void usesTheUtf8BytesOfTheSecretAsTheKey() {
        // printf '%s' '1700000000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_clé'
        assertEquals("766c4e20a9e72a93a2e1e355863ff687f0482c794dc8ad1c3942efd427ed1939",
                Signer.sign("whsec_clé", 1_700_000_000_000L, utf8("{\"a\":1}")));
    }

    @Test
    void signsAnEmptyBody() {
        // printf '%s' '0.' | openssl dgst -sha256 -hmac 'whsec_test'
        assertEquals("a2fa7a43c6a1cf2e784eaf3327d65c65b3d2b790320ebed9aa5661bc42a8cccd",
                Signer.sign("whsec_test", 0L, new byte[0]));
    }

    @Test
    void theTimestampIsPartOfTheSignature() {
        byte[] body = utf8("{\"a\":1}");
        assertNotEquals(Signer.sign("whsec_test", 1_700_000_000_000L, body),
                Signer.sign("whsec_test", 1_700_000_000_001L, body));
    }

    @Test
    void refusesAnEmptySecret() {
        assertThrows(IllegalArgumentException.class, () -> Signer.sign("", 1L, new byte[0]));
    }
}
