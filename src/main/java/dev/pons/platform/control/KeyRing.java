package dev.pons.platform.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The encryption keys of {@code pons.secrets.encryption-key}: {@code <id>:<base64 key>} entries separated
 * by commas, the first sealing and all of them opening, so a key can be rotated without a value becoming
 * unreadable meanwhile. A bare key is the ring {@code default:<key>}.
 *
 * <p>Sealed form: {@code v2:<key id>:} + base64(IV || ciphertext || tag), AES-256-GCM, authenticated
 * together with the key id and what the value is bound to (its table, column and row): a sealed value
 * copied into another row or column does not open there. Values sealed before key ids existed
 * ({@code v1:}, {@link SecretBox}) open with whichever key of the ring sealed them.
 */
public final class KeyRing {

    public static final String DEFAULT_ID = "default";

    private static final String PREFIX = "v2:";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final int MAX_OPENED = 4096;

    private final String currentId;
    private final Map<String, SecretBox> keys;

    /**
     * Every delivery signs with its target's secret, and decrypting it costs more than the signature
     * itself. Keyed by binding and sealed text, so a rotated secret is simply a new entry.
     */
    private final Map<String, String> opened = new ConcurrentHashMap<>();

    private KeyRing(Map<String, SecretBox> keys) {
        this.keys = Collections.unmodifiableMap(keys);
        this.currentId = keys.keySet().iterator().next();
    }

    /**
     * Reads a configured ring or bare key.
     *
     * @throws IllegalArgumentException naming the entry at fault, never quoting a key
     */
    public static KeyRing parse(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("encryption key is not set; generate one with: openssl rand -base64 32");
        }
        String[] entries = configured.strip().split(",");
        Map<String, SecretBox> keys = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            if (colon < 0 && entries.length == 1) {
                keys.put(DEFAULT_ID, new SecretBox(SecretBox.parseKey(entry)));
                continue;
            }
            String where = "encryption key entry " + (i + 1) + " of " + entries.length;
            if (colon < 0) {
                throw new IllegalArgumentException(where + " has no id: write <id>:<base64 key>, the sealing key first");
            }
            String id = entry.substring(0, colon).strip();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(where + ": an id is 1 to 32 letters, digits, '.', '_' or '-'");
            }
            if (keys.containsKey(id)) {
                throw new IllegalArgumentException(where + ": the id " + id + " is named twice");
            }
            try {
                keys.put(id, new SecretBox(SecretBox.parseKey(entry.substring(colon + 1))));
            } catch (IllegalArgumentException badKey) {
                throw new IllegalArgumentException(where + " (id " + id + "): " + badKey.getMessage());
            }
        }
        return new KeyRing(keys);
    }

    /** The id of the key that seals. */
    public String currentId() {
        return currentId;
    }

    public List<String> ids() {
        return new ArrayList<>(keys.keySet());
    }

    /** Seals with the current key, bound to {@code binding} (say {@code webhook_target.secret_sealed/whk_…}). */
    public String seal(String plaintext, String binding) {
        if (plaintext == null) {
            throw new IllegalArgumentException("nothing to seal");
        }
        return PREFIX + currentId + ":" + keys.get(currentId).sealBound(plaintext, aad(currentId, binding));
    }

    /**
     * The plaintext of a value sealed for {@code binding}.
     *
     * @throws IllegalStateException saying why (unknown key id, modified, another row's value), never
     *                               quoting the value or a key
     */
    public String open(String sealed, String binding) {
        if (sealed == null) {
            throw new IllegalStateException("no sealed value");
        }
        String cacheKey = binding + '\n' + sealed;
        String known = opened.get(cacheKey);
        if (known != null) {
            return known;
        }
        String plaintext = sealed.startsWith(PREFIX) ? openCurrentForm(sealed, binding) : openFirstForm(sealed);
        if (opened.size() >= MAX_OPENED) {
            opened.clear();
        }
        opened.put(cacheKey, plaintext);
        return plaintext;
    }

    /** Whether the value is sealed in the current form with the current key: a re-seal leaves it as it is. */
    public boolean isCurrent(String sealed) {
        return sealed != null && sealed.startsWith(PREFIX + currentId + ":");
    }

    /** The key id a value names ({@code null} for the first form, which names none). */
    public static String keyIdOf(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            return null;
        }
        int end = sealed.indexOf(':', PREFIX.length());
        return end < 0 ? null : sealed.substring(PREFIX.length(), end);
    }

    private String openCurrentForm(String sealed, String binding) {
        String id = keyIdOf(sealed);
        if (id == null) {
            throw new IllegalStateException("sealed secret has no key id");
        }
        SecretBox key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("sealed secret names key " + printable(id)
                    + ", which pons.secrets.encryption-key does not hold (it holds " + String.join(", ", keys.keySet()) + ")");
        }
        return key.openBound(sealed.substring(PREFIX.length() + id.length() + 1), aad(id, binding));
    }

    private String openFirstForm(String sealed) {
        IllegalStateException last = null;
        for (SecretBox key : keys.values()) {
            try {
                return key.open(sealed);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        if (keys.size() > 1 && last != null && last.getMessage().contains("failed authentication")) {
            throw new IllegalStateException("sealed secret (first form, no key id) opens with none of the keys "
                    + String.join(", ", keys.keySet()));
        }
        throw last;
    }

    private static byte[] aad(String keyId, String binding) {
        return ("pons-secret/v2/" + keyId + "/" + binding).getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String id) {
        return ID.matcher(id).matches() ? id : "(malformed id)";
    }
}
