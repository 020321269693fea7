package dev.pons.platform.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The four secrets a server outside the {@code dev} configuration profile must be given. The {@code dev}
 * profile's values are published in the README, so outside it each of them counts as missing: a server that
 * accepted them would hand account creation, Meta's webhook and the stored secrets to anyone who read it.
 * Problems name the key and never quote its value, so they can go to the log.
 */
public final class RequiredSecrets {

    public static final String DEV_PROFILE = "dev";
    public static final String ADMIN_TOKEN = "pons.admin.token";
    public static final String META_APP_SECRET = "pons.meta.app-secret";
    public static final String META_VERIFY_TOKEN = "pons.meta.verify-token";
    public static final String ENCRYPTION_KEY = "pons.secrets.encryption-key";

    /** A bearer token that short can be guessed or brute-forced over the network. */
    static final int MIN_ADMIN_TOKEN_LENGTH = 24;

    /** The {@code dev} profile's values (META-INF/microprofile-config.properties, RequiredSecretsTest keeps them equal). */
    static final Map<String, String> PUBLIC_VALUES = Map.of(
            ADMIN_TOKEN, "dev-admin-token",
            META_APP_SECRET, "dev-app-secret",
            META_VERIFY_TOKEN, "dev-verify-token");

    /** In the order an operator reads them, which is also the order of the deploy/README.md checklist. */
    static final List<String> KEYS = List.of(ADMIN_TOKEN, META_APP_SECRET, META_VERIFY_TOKEN, ENCRYPTION_KEY);

    private RequiredSecrets() {
    }

    public static boolean development(Optional<String> profile) {
        return profile.map(String::strip).filter(DEV_PROFILE::equals).isPresent();
    }

    /**
     * What keeps a server with this configuration from starting: nothing in the {@code dev} profile, otherwise
     * one line per offending key.
     *
     * @param profile {@code mp.config.profile}
     * @param config  the configured value of a key, empty when it has none
     */
    public static List<String> problems(Optional<String> profile, Function<String, Optional<String>> config) {
        List<String> problems = new ArrayList<>();
        if (development(profile)) {
            return problems;
        }
        for (String key : KEYS) {
            Optional<String> value = config.apply(key).map(String::strip).filter(v -> !v.isEmpty());
            String env = envName(key);
            if (value.isEmpty()) {
                problems.add(key + " is not set: set " + env);
            } else if (value.get().equals(PUBLIC_VALUES.get(key))) {
                problems.add(key + " has the public development value of the dev profile: set " + env
                        + " to a value of your own");
            } else if (key.equals(ADMIN_TOKEN) && value.get().length() < MIN_ADMIN_TOKEN_LENGTH) {
                problems.add(key + " is shorter than " + MIN_ADMIN_TOKEN_LENGTH + " characters: set " + env
                        + " to a longer random value (openssl rand -hex 24)");
            } else if (key.equals(ENCRYPTION_KEY)) {
                try {
                    KeyRing.parse(value.get());
                } catch (IllegalArgumentException e) {
                    // The ring's message names the entry at fault, never a key.
                    problems.add(key + " is not base64 of 32 bytes nor a key ring (" + e.getMessage() + "): set "
                            + env + " (openssl rand -base64 32)");
                }
            }
        }
        return problems;
    }

    /** The keys the {@code dev} profile fills with public values, for the warning a development server logs. */
    public static List<String> publicInDevelopment(Function<String, Optional<String>> config) {
        List<String> inUse = new ArrayList<>();
        for (String key : KEYS) {
            Optional<String> value = config.apply(key).map(String::strip).filter(v -> !v.isEmpty());
            if (value.isEmpty() || value.get().equals(PUBLIC_VALUES.get(key))) {
                inUse.add(key);
            }
        }
        return inUse;
    }

    static String envName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase();
    }
}
