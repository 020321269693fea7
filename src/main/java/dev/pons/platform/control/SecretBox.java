package dev.pons.platform.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts short secrets (signing secrets, access tokens) for storage with AES-256-GCM, so a copy of
 * the database alone reveals none of them and a modified value is detected instead of decrypted.
 *
 * <p>Sealed form: {@code v1:} + base64(12-byte random IV || ciphertext || 16-byte tag), with no key id
 * and nothing it is bound to: values stored so are opened still, and {@link KeyRing} seals anew in its
 * own form with the same cipher ({@link #sealBound}). Error messages never contain the key, the plaintext
 * or the sealed value.
 */
public final class SecretBox {

    public static final int KEY_BYTES = 32;

    private static final String PREFIX = "v1:";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    /**
     * Every delivery signs with its target's secret, and decrypting it costs more than the signature
     * itself. Keyed by the sealed text, so a rotated secret is simply a new entry.
     */
    private final Map<String, String> opened = new ConcurrentHashMap<>();
    private static final int MAX_OPENED = 4096;

    public SecretBox(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("encryption key must be exactly " + KEY_BYTES + " bytes (AES-256), was "
                    + (key == null ? "missing" : key.length + " bytes"));
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * Decodes a configured key ({@code pons.secrets.encryption-key}).
     *
     * @throws IllegalArgumentException when it is not standard base64 of exactly 32 bytes
     */
    public static byte[] parseKey(String base64) {
        String hint = "; generate one with: openssl rand -base64 32";
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("encryption key is not set" + hint);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes a character of the key, so it is deliberately not passed on.
            throw new IllegalArgumentException("encryption key is not valid base64" + hint);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("encryption key must decode to exactly " + KEY_BYTES
                    + " bytes, it decodes to " + key.length + hint);
        }
        return key;
    }

    /** A fresh random key in the form {@link #parseKey} accepts. */
    public static String newKeyBase64() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public String seal(String plaintext) {
        if (plaintext == null) {
            throw new IllegalArgumentException("nothing to seal");
        }
        // A fresh random IV per value: GCM loses both secrecy and integrity if an IV repeats under one key.
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] ciphertext = crypt(Cipher.ENCRYPT_MODE, iv, plaintext.getBytes(StandardCharsets.UTF_8), null);
        byte[] sealed = ByteBuffer.allocate(IV_BYTES + ciphertext.length).put(iv).put(ciphertext).array();
        return PREFIX + Base64.getEncoder().encodeToString(sealed);
    }

    /** @throws IllegalStateException when the value is malformed, was modified or was sealed with another key */
    public String open(String sealed) {
        String known = sealed == null ? null : opened.get(sealed);
        if (known != null) {
            return known;
        }
        String plaintext = decrypt(sealed);
        if (opened.size() >= MAX_OPENED) {
            opened.clear();
        }
        opened.put(sealed, plaintext);
        return plaintext;
    }

    private String decrypt(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("sealed secret has an unknown format (expected prefix " + PREFIX + ")");
        }
        return openBound(sealed.substring(PREFIX.length()), null);
    }

    /** base64(IV || ciphertext || tag), authenticated together with {@code aad}: opens with the same aad only. */
    String sealBound(String plaintext, byte[] aad) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] ciphertext = crypt(Cipher.ENCRYPT_MODE, iv, plaintext.getBytes(StandardCharsets.UTF_8), aad);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + ciphertext.length).put(iv)
                .put(ciphertext).array());
    }

    /** @throws IllegalStateException when malformed, modified, sealed with another key or for another aad */
    String openBound(String base64, byte[] aad) {
        byte[] bytes = decode(base64);
        byte[] iv = Arrays.copyOfRange(bytes, 0, IV_BYTES);
        byte[] ciphertext = Arrays.copyOfRange(bytes, IV_BYTES, bytes.length);
        return new String(crypt(Cipher.DECRYPT_MODE, iv, ciphertext, aad), StandardCharsets.UTF_8);
    }

    private static byte[] decode(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("sealed secret is not valid base64");
        }
        if (bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("sealed secret is too short to be valid");
        }
        return bytes;
    }

    private byte[] crypt(int mode, byte[] iv, byte[] input, byte[] aad) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
            if (aad != null) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(
                    "sealed secret failed authentication: it was modified, sealed with a different key, or belongs to"
                    + " another row or column");
        } catch (GeneralSecurityException e) {
            // The provider's message names algorithms and sizes only; no key or data material.
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }
}
