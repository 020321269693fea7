package dev.pons.targets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SigningSecretsTest {

    @Test
    void generatesWhsecAnd32RandomBytesAsPaddedStandardBase64() {
        String secret = SigningSecrets.generate();
        assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), secret);
        assertEquals(32, Base64.getDecoder().decode(secret.substring("whsec_".length())).length);
    }

    @Test
    void usesTheWholeStandardAlphabet() {
        // 1,000 secrets of 43 significant characters each: '+' and '/' are all but certain to occur, and
        // must, since a receiver's standard-base64 decoder is what reads them.
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            SigningSecrets.generate().substring("whsec_".length()).chars().forEach(c -> seen.add((char) c));
        }
        assertTrue(seen.contains('+') && seen.contains('/'), seen.toString());
        assertFalse(seen.contains('-') || seen.contains('_'), seen.toString());
    }

    @Test
    void generatesDifferentSecrets() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            secrets.add(SigningSecrets.generate());
        }
        assertEquals(1_000, secrets.size());
    }

    @Test
    void previewShowsOnlyTheLastSixCharacters() {
        String secret = "whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        assertEquals("••••••BCDEFG", SigningSecrets.preview(secret));

        String generated = SigningSecrets.generate();
        String preview = SigningSecrets.preview(generated);
        assertTrue(preview.startsWith("••••••"), preview);
        assertTrue(generated.endsWith(preview.substring(6)), preview);
        assertFalse(preview.contains("whsec_"), preview);
    }

    @Test
    void previewOfAShortSecretIsOnlyTheMask() {
        assertEquals("••••••", SigningSecrets.preview("short"));
        assertEquals("••••••", SigningSecrets.preview(""));
        assertEquals("••••••", SigningSecrets.preview(null));
    }
}
