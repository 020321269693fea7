package dev.pons.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Seals and opens what must be stored encrypted (signing secrets, Cloud API access tokens) with the
 * key from {@code pons.secrets.encryption-key}. Only the {@code dev} profile may run without one: it then
 * uses a key generated once and kept in the database, which protects nothing against a reader of that database.
 * Outside {@code dev} a server without a key does not start ({@link RequiredSecrets}); this refuses too,
 * so a key of the database never seals a production secret whatever starts this bean.
 */
@ApplicationScoped
public class Secrets {

    @Inject
    @ConfigProperty(name = "pons.secrets.encryption-key")
    Optional<String> configuredKey;

    @Inject
    @ConfigProperty(name = "mp.config.profile")
    Optional<String> profile;

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
            String base64 = configuredKey.filter(k -> !k.isBlank()).orElseGet(this::developmentKey);
            current = new SecretBox(SecretBox.parseKey(base64.strip()));
            box = current;
        }
        return current;
    }

    private String developmentKey() {
        if (!RequiredSecrets.development(profile)) {
            throw new IllegalStateException(RequiredSecrets.ENCRYPTION_KEY + " is not set; outside the dev profile"
                    + " no key is generated");
        }
        return developmentKey.loadOrCreate();
    }
}
