package dev.pons.platform.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretsTest {

    static final SealedColumn COLUMN = new SealedColumn("webhook_target", "id", "secret_sealed");

    static Secrets configured(String key) {
        Secrets secrets = new Secrets();
        secrets.configuredKey = Optional.of(key);
        return secrets;
    }

    @Test
    void aMalformedRingStopsTheStartNamingTheEntryNotTheKey() {
        String key = SecretBox.newKeyBase64();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> configured("new:" + key + "," + key).checkConfiguredRing(new Object()));
        assertTrue(e.getMessage().startsWith("pons.secrets.encryption-key: encryption key entry 2 of 2"), e.getMessage());
        assertFalse(e.getMessage().contains(key), e.getMessage());
        assertDoesNotThrow(() -> configured(key).checkConfiguredRing(new Object()));
    }

    @Test
    void sealsForARowOfAColumn() {
        Secrets secrets = configured("k1:" + SecretBox.newKeyBase64());
        String sealed = secrets.seal("whsec_x", COLUMN, "whk_1");
        assertTrue(secrets.isCurrent(sealed));
        assertEquals("k1", secrets.currentKeyId());
        assertEquals("whsec_x", secrets.open(sealed, COLUMN, "whk_1"));
        assertThrows(IllegalStateException.class, () -> secrets.open(sealed, COLUMN, "whk_2"));
    }
}
