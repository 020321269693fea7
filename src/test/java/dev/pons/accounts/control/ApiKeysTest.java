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

    @Test
    void previewIsThePrefixAndTheLastFourCharacters() {
        String key = "pons_" + "A".repeat(39) + "wxYz";
        assertEquals("pons_…wxYz", ApiKeys.preview(key));
        assertEquals("pons_…", ApiKeys.preview("pons_short"), "a short key gives nothing away");
    }

    @Test
    void issuedKeyMatchesItsRow() {
        ApiKeys.Issued issued = ApiKeys.issue("acct_01", "CRM", 1_700_000_000_000L);
        assertTrue(issued.apiKey().getId().matches("key_[0-9a-z]{26}"), issued.apiKey().getId());
        assertEquals("acct_01", issued.apiKey().getAccountId());
        assertEquals("CRM", issued.apiKey().getName());
        assertEquals(ApiKeys.preview(issued.key()), issued.apiKey().getPreview());
        assertTrue(issued.apiKey().getPreview().endsWith(issued.key().substring(issued.key().length() - 4)));
        assertEquals(1_700_000_000_000L, issued.apiKey().getCreatedAt());
        assertEquals(null, issued.apiKey().getLastUsedAt(), "not used yet");
        assertNotEquals(issued.key(), ApiKeys.issue("acct_01", "CRM", 1_700_000_000_000L).key());
    }
}
