package dev.pons.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;

/**
 * The shipped defaults make a laptop start without any set-up. Some of them are public knowledge,
 * so running with them in production would hand the service to anyone: say so loudly at start.
 */
@Startup
@Singleton
public class UnsafeDefaults {

    private static final Logger LOG = Logger.getLogger(UnsafeDefaults.class.getName());

    /** Keys whose shipped default is a well-known value, with that value. */
    static final Map<String, String> PUBLIC_DEFAULTS = Map.of(
            "pons.admin.token", "dev-admin-token",
            "pons.meta.app-secret", "dev-app-secret",
            "pons.meta.verify-token", "dev-verify-token");

    @Inject
    Config config;

    @PostConstruct
    void warn() {
        inUse().forEach(LOG::warning);
    }

    public List<String> inUse() {
        List<String> warnings = new ArrayList<>();
        PUBLIC_DEFAULTS.forEach((key, publicValue) -> {
            Optional<String> value = config.getOptionalValue(key, String.class);
            if (value.isEmpty() || value.get().equals(publicValue)) {
                warnings.add("UNSAFE DEFAULT: " + key + " has its public development value; set "
                        + envName(key) + " before exposing this server");
            }
        });
        if (config.getOptionalValue("pons.secrets.encryption-key", String.class).isEmpty()) {
            warnings.add("UNSAFE DEFAULT: pons.secrets.encryption-key is not set; signing secrets are encrypted with a"
                    + " development key stored in the database itself. Set PONS_SECRETS_ENCRYPTION_KEY for production");
        }
        if (config.getOptionalValue("pons.targets.allow-loopback", Boolean.class).orElse(true)) {
            warnings.add("UNSAFE DEFAULT: pons.targets.allow-loopback is true; webhook targets may point at this machine."
                    + " Set PONS_TARGETS_ALLOW_LOOPBACK=false in production");
        }
        return warnings;
    }

    static String envName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase();
    }
}
