package dev.pons.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Seals and opens what must be stored encrypted (signing secrets, Cloud API access tokens) with the
 * key from {@code pons.secrets.encryption-key}, or with a development key kept in the database when
 * none is configured (logged as unsafe by {@link UnsafeDefaults}).
 */
@ApplicationScoped
public class Secrets {

    @Inject
    @ConfigProperty(name = "pons.secrets.encryption-key")
    Optional<String> configuredKey;

    @Inject
    DevelopmentKey developmentKey;

    private volatile SecretBox box;

    public String seal(String plaintext) {
        return box().seal(plaintext);
    }

    public String open(String sealed) {
        return box().open(sealed);
    }

    private SecretBox box() {
        SecretBox current = box;
        if (current == null) {
            String base64 = configuredKey.filter(k -> !k.isBlank()).orElseGet(developmentKey::loadOrCreate);
            current = new SecretBox(SecretBox.parseKey(base64.strip()));
            box = current;
        }
        return current;
    }
}
