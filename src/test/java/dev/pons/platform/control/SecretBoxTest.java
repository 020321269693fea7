package dev.pons.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String PLAINTEXT = "whsec_s3cr3t-plaintext-ü";

    private final String keyBase64 = SecretBox.newKeyBase64();
    private final SecretBox box = new SecretBox(SecretBox.parseKey(keyBase64));

    @Test
    void roundTrips() {
        String sealed = box.seal(PLAINTEXT);
        assertTrue(sealed.startsWith("v1:"), sealed);
        assertFalse(sealed.contains(PLAINTEXT));
        assertEquals(PLAINTEXT, box.open(sealed));
        assertEquals("", box.open(box.seal("")));
    }

    @Test
    void sealedFormIsTheIvThenCiphertextAndTag() {
        byte[] raw = Base64.getDecoder().decode(box.seal(PLAINTEXT).substring(3));
        int plaintextBytes = PLAINTEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertEquals(12 + plaintextBytes + 16, raw.length);
    }

    @Test
    void usesAFreshIvEachTime() {
        String first = box.seal(PLAINTEXT);
        String second = box.seal(PLAINTEXT);
        assertNotEquals(first, second);
        assertNotEquals(first.substring(3, 19), second.substring(3, 19));
        assertEquals(box.open(first), box.open(second));
    }

    @Test
    void detectsTampering() {
        String sealed = box.seal(PLAINTEXT);
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        for (int position : new int[] {0, 12, raw.length - 1}) {
            byte[] modified = raw.clone();
            modified[position] ^= 1;
            String tampered = "v1:" + Base64.getEncoder().encodeToString(modified);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> box.open(tampered));
            assertRevealsNothing(e);
        }
    }

    @Test
    void refusesAnotherKeysValues() {
        String sealed = new SecretBox(SecretBox.parseKey(SecretBox.newKeyBase64())).seal(PLAINTEXT);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> box.open(sealed));
        assertTrue(e.getMessage().contains("different key"), e.getMessage());
        assertRevealsNothing(e);
    }

    @Test
    void refusesMalformedValues() {
        for (String bad : new String[] {null, "", "whsec_plain", "v2:AAAA", "v1:not base64!", "v1:AAAA"}) {
            assertThrows(IllegalStateException.class, () -> box.open(bad), String.valueOf(bad));
        }
    }

    @Test
    void parseKeyAcceptsExactly32Bytes() {
        assertEquals(32, SecretBox.parseKey(keyBase64).length);
        assertEquals(32, SecretBox.parseKey("  " + keyBase64 + "\n").length);

        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        IllegalArgumentException tooShort =
                assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKey(sixteenBytes));
        assertTrue(tooShort.getMessage().contains("exactly 32 bytes"), tooShort.getMessage());
        assertTrue(tooShort.getMessage().contains("decodes to 16"), tooShort.getMessage());

        IllegalArgumentException notBase64 =
                assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKey("my-secret-key!"));
        assertFalse(notBase64.getMessage().contains("my-secret-key"), notBase64.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKey(null));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKey(" "));
    }

    @Test
    void constructorRefusesKeysOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(null));
    }

    @Test
    void newKeysDiffer() {
        assertNotEquals(SecretBox.newKeyBase64(), SecretBox.newKeyBase64());
    }

    private void assertRevealsNothing(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            assertFalse(message.contains(PLAINTEXT), message);
            assertFalse(message.contains(keyBase64), message);
        }
    }
}
