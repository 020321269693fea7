package dev.pons.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void generatesPonsAnd32RandomBytesAsUnpaddedBase64Url() {
        String key = ApiKeys.generate();
        assertTrue(key.matches("pons_[A-Za-z0-9_-]{43}"), key);
        assertEquals(32, Base64.getUrlDecoder().decode(key.substring("pons_".length())).length);
        assertNotEquals(key, ApiKeys.generate());
    }

    @Test
    void hashIsLowercaseHexSha256OfTheUtf8Bytes() {
        // printf '%s' 'pons_test' | sha256sum
        assertEquals("c98b66de97d25f2d7aff4ceba39f1b14757db683303c092cabfed7df88abb15d", ApiKeys.hash("pons_test"));
        // printf '%s' 'pons_ключ' | sha256sum
        assertEquals("bcf50dee328fcced632e4e14bfd38dcc00efb0f86204d69e84b40fa711a5c304", ApiKeys.hash("pons_ключ"));
    }

    @Test
    void hashIsStable() {
        String key = ApiKeys.generate();
        assertEquals(ApiKeys.hash(key), ApiKeys.hash(key));
        assertTrue(ApiKeys.hash(key).matches("[0-9a-f]{64}"));
    }
}
