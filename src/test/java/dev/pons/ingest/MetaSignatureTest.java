package dev.pons.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pons.MetaFixtures;
import dev.pons.ingest.control.MetaSignature;

class MetaSignatureTest {

    private static final Path FIXTURES = MetaFixtures.DIR;
    private static final String SECRET = "test_app_secret";
    private static final String EXPECTED =
            "sha256=400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0";

    private static byte[] vector;

    @BeforeAll
    static void readVector() throws IOException {
        // The bytes exactly as stored: Meta's escapes (\u00e9, \/) must survive, so no JSON round trip.
        vector = Files.readAllBytes(FIXTURES.resolve("signature-vector.body"));
    }

    @Test
    void fixtureVectorVerifies() {
        assertTrue(MetaSignature.verify(vector, EXPECTED, SECRET));
    }

    @Test
    void signReproducesTheFixtureHeader() {
        assertEquals(EXPECTED, MetaSignature.sign(vector, SECRET));
    }

    @Test
    void signMatchesAnIndependentHmacSha256Vector() {
        // Well-known HMAC-SHA256 example (key "key"), so sign() is checked against more than itself.
        byte[] body = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
        assertEquals("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
                MetaSignature.sign(body, "key"));
    }

    @Test
    void reserialisedBodyDoesNotVerify() {
        // What a JSON library would write back: the same document without Meta's escapes.
        String unescaped = new String(vector, StandardCharsets.UTF_8).replace("\\/", "/");
        assertFalse(MetaSignature.verify(unescaped.getBytes(StandardCharsets.UTF_8), EXPECTED, SECRET));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 300, 597, 598})
    void oneFlippedBodyByteFails(int position) {
        byte[] tampered = vector.clone();
        tampered[position] ^= 0x01;
        assertFalse(MetaSignature.verify(tampered, EXPECTED, SECRET));
    }

    @Test
    void oneFlippedHexDigitFails() {
        String last = EXPECTED.substring(EXPECTED.length() - 1);
        String tampered = EXPECTED.substring(0, EXPECTED.length() - 1) + ("0".equals(last) ? "1" : "0");
        assertFalse(MetaSignature.verify(vector, tampered, SECRET));
    }

    @Test
    void appendedByteFails() {
        byte[] longer = Arrays.copyOf(vector, vector.length + 1);
        longer[vector.length] = '\n';
        assertFalse(MetaSignature.verify(longer, EXPECTED, SECRET));
    }

    @Test
    void wrongSecretFails() {
        assertFalse(MetaSignature.verify(vector, EXPECTED, "other_app_secret"));
        assertFalse(MetaSignature.verify(vector, EXPECTED, SECRET + " "));
    }

    @Test
    void uppercasePrefixFails() {
        // Meta always sends "sha256="; accepting variants only widens what an attacker may try.
        assertFalse(MetaSignature.verify(vector, "SHA256=" + EXPECTED.substring(7), SECRET));
        assertFalse(MetaSignature.verify(vector, "Sha256=" + EXPECTED.substring(7), SECRET));
    }

    @Test
    void uppercaseHexDigitsVerify() {
        // The digest bytes are compared, not the text; the case of the hex digits carries no meaning.
        assertTrue(MetaSignature.verify(vector, "sha256=" + EXPECTED.substring(7).toUpperCase(Locale.ROOT), SECRET));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "sha256=",
            "sha256",
            "400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
            "sha1=400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
            "sha256:400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
            " sha256=400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
            "sha256=400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0 ",
            "sha256= 400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
            // one digit short, one digit too many, twice the length
            "sha256=400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a",
            "sha256=400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a00",
            "sha256=400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0"
                    + "400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
            // non-hex characters of the right length, including non-ASCII digits
            "sha256=g00012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
            "sha256=\u0664\u0660\u0660012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
            "sha256=4000 2f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
            "sha256=0x0012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0",
    })
    void malformedHeaderFailsWithoutThrowing(String header) {
        assertFalse(MetaSignature.verify(vector, header, SECRET));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingSecretNeverVerifies(String secret) {
        assertFalse(MetaSignature.verify(vector, EXPECTED, secret));
    }

    @Test
    void emptySecretIsRefusedWhenSigning() {
        assertThrows(IllegalArgumentException.class, () -> MetaSignature.sign(vector, ""));
        assertThrows(IllegalArgumentException.class, () -> MetaSignature.sign(vector, null));
    }

    @Test
    void missingBodyFails() {
        assertFalse(MetaSignature.verify(null, EXPECTED, SECRET));
    }

    @Test
    void emptyBodyRoundTrips() {
        String header = MetaSignature.sign(new byte[0], SECRET);
        assertTrue(MetaSignature.verify(new byte[0], header, SECRET));
        assertFalse(MetaSignature.verify(new byte[] {' '}, header, SECRET));
    }

    @Test
    void signProducesLowercaseHexOfTheRightLength() {
        String header = MetaSignature.sign("{}".getBytes(StandardCharsets.UTF_8), SECRET);
        assertTrue(header.matches("sha256=[0-9a-f]{64}"), header);
    }

    @Test
    void secretIsKeyedWithItsUtf8Bytes() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String secret = "s\u00e9cret-\ud83d\udd11";
        // Computed with Python's hmac module over the UTF-8 bytes of the same secret.
        String expected = "sha256=691fe0e62674c6876433f0389cd4c160b97f17b356c521f67f64331c88c8174a";
        assertEquals(expected, MetaSignature.sign(body, secret));
        assertTrue(MetaSignature.verify(body, expected, secret));
    }
}
