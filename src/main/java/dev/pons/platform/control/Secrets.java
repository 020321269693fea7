package dev.pons.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Seals and opens what must be stored encrypted (signing secrets, custom header values, Cloud API access
 * tokens) with the key ring from {@code pons.secrets.encryption-key} ({@link KeyRing}). Only the {@code dev}
 * profile may run without one: it then uses a key generated once and kept in the database, which protects
 * nothing against a reader of that database. Outside {@code dev} a server without a key does not start
 * ({@link RequiredSecrets}); this refuses too, so a key of the database never seals a production secret
 * whatever starts this bean.
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

    private static final Logger LOG = Logger.getLogger(Secrets.class.getName());

    private volatile KeyRing ring;

    /**
     * A configured ring that does not parse would fail every seal and open, each delivery with it: the
     * application does not start instead, and the log says which entry is wrong (never a key).
     */
    void checkConfiguredRing(@Observes @Initialized(ApplicationScoped.class) Object started) {
        configuredKey.filter(k -> !k.isBlank()).ifPresent(configured -> {
            try {
                KeyRing.parse(configured);
            } catch (IllegalArgumentException malformed) {
                LOG.severe("pons.secrets.encryption-key: " + malformed.getMessage());
                throw new IllegalStateException("pons.secrets.encryption-key: " + malformed.getMessage());
            }
        });
    }

    /** Sealed with the current key for the row {@code rowId} of {@code column}, and only there. */
    public String seal(String plaintext, SealedColumn column, String rowId) {
        return ring().seal(plaintext, column.binding(rowId));
    }

    /** @throws IllegalStateException when the value does not open: why, without the value or a key */
    public String open(String sealed, SealedColumn column, String rowId) {
        return ring().open(sealed, column.binding(rowId));
    }

    /** Whether the value is sealed with the current key in the current form. */
    public boolean isCurrent(String sealed) {
        return ring().isCurrent(sealed);
    }

    public String currentKeyId() {
        return ring().currentId();
    }

    private KeyRing ring() {
        KeyRing current = ring;
        if (current == null) {
            current = KeyRing.parse(configuredKey.filter(k -> !k.isBlank()).orElseGet(this::developmentKey));
            ring = current;
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
