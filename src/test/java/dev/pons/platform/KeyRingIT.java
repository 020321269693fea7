package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.Meta;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;
import dev.pons.it.Verifier;

/**
 * Secrets at rest under the key ring: a value sealed before key ids existed keeps working and the
 * operator's re-seal renews it; a secret that does not open fails its own deliveries, visibly, and no
 * other. The server runs with the key the build configures (it.secrets.encryption-key), a ring of one key: "default".
 */
class KeyRingIT {

    record Target(String id, String secret) {
    }

    static Target target(TestAccount account, String url, String extra) {
        Api.Reply reply = Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\"" + url
                + "\",\"events\":[\"message.inbound.received\"]" + extra + "}");
        assertEquals(201, reply.status(), reply.body());
        return new Target(reply.json().getString("id"), reply.json().getString("signingSecret"));
    }

    @Test
    void aSecretSealedInTheFirstFormKeepsSigningAndTheResealRenewsIt() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            Target target = target(account, receiver.url(), "");
            assertTrue(sealedSecret(target.id()).startsWith("v2:default:"), "sealed with the key id");

            // As stored before key ids existed: v1, no key id, bound to nothing.
            String firstForm = sealFirstForm(target.secret(), configuredKey());
            setSealedSecret(target.id(), firstForm);
            testSend(account, target);
            assertTrue(Verifier.verifies(target.secret(), receiver.requests().get(0)), "the first form still opens");

            assertEquals(401, Api.post("/api/v1/secrets/reseal", account.apiKey(), null).status(),
                    "an account key cannot re-seal");
            Api.Reply resealed = Api.post("/api/v1/secrets/reseal", Api.ADMIN_TOKEN, null);
            assertEquals(200, resealed.status(), resealed.body());
            JsonObject result = resealed.json();
            assertEquals("default", result.getString("keyId"));
            assertTrue(result.getInt("resealed") >= 1, result.toString());
            assertFalse(result.toString().contains(target.id()), "this target's secret opened: " + result);
            String renewed = sealedSecret(target.id());
            assertTrue(renewed.startsWith("v2:default:"), "re-sealed in the current form");

            testSend(account, target);
            assertTrue(Verifier.verifies(target.secret(), receiver.requests().get(1)), "same secret after the re-seal");
            JsonObject again = Api.post("/api/v1/secrets/reseal", Api.ADMIN_TOKEN, null).json();
            assertEquals(renewed, sealedSecret(target.id()), "a current value is left as it is: " + again);
        }
    }

    @Test
    void aSecretThatDoesNotOpenFailsItsOwnDeliveriesOnly() throws Exception {
        try (Receiver healthy = Receiver.answering(200); Receiver orphaned = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            Target good = target(account, healthy.url(), "");
            Target bad = target(account, orphaned.url(), ",\"maxAttempts\":1");
            // Sealed with a key that has left the ring.
            setSealedSecret(bad.id(), "v2:retired-2025:" + Base64.getEncoder().encodeToString(new byte[60]));
            try {
                assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());

                Api.await("the healthy target's delivery", Duration.ofSeconds(15), () -> healthy.requests().size() == 1);
                assertTrue(Verifier.verifies(good.secret(), healthy.requests().get(0)));
                Api.await("the other delivery failed", Duration.ofSeconds(15), () -> {
                    var items = Api.get(account.path("/webhook-targets/" + bad.id() + "/deliveries"), account.apiKey())
                            .json().getJsonArray("items");
                    return items.size() == 1 && "failed".equals(items.getJsonObject(0).getString("status"));
                });
                JsonObject delivery = Api.get(account.path("/webhook-targets/" + bad.id() + "/deliveries"),
                        account.apiKey()).json().getJsonArray("items").getJsonObject(0);
                String lastError = delivery.getString("lastError");
                assertTrue(lastError.contains("secrets cannot be opened") && lastError.contains("retired-2025"), lastError);
                JsonObject target = Api.get(account.path("/webhook-targets/" + bad.id()), account.apiKey()).json();
                assertEquals(lastError, target.getString("lastError"), "the target's health shows it too");
                assertEquals(0, orphaned.requests().size(), "nothing unsigned or wrongly signed is sent");

                Api.Reply reseal = Api.post("/api/v1/secrets/reseal", Api.ADMIN_TOKEN, null);
                assertEquals(200, reseal.status(), reseal.body());
                assertTrue(reseal.json().getInt("failed") >= 1, reseal.body());
                assertTrue(reseal.body().contains("webhook_target.secret_sealed/" + bad.id()), reseal.body());
                assertTrue(sealedSecret(bad.id()).startsWith("v2:retired-2025:"), "a value that does not open is kept");
            } finally {
                // Later re-seals would report it again.
                Api.send("DELETE", account.path("/webhook-targets/" + bad.id()), account.apiKey(), null);
            }
        }
    }

    static void testSend(TestAccount account, Target target) {
        Api.Reply test = Api.post(account.path("/webhook-targets/" + target.id() + "/test"), account.apiKey(), "{}");
        assertEquals(200, test.status(), test.body());
        assertTrue(test.json().getBoolean("succeeded"), test.body());
    }

    /** The IT server's encryption key, as the build configures it ({@code it.secrets.encryption-key}). */
    static String configuredKey() {
        String key = System.getProperty("pons.it.encryptionKey", "");
        assertFalse(key.isBlank(), "pons.it.encryptionKey names the IT server's encryption key (set by the build)");
        return key;
    }

    static String sealedSecret(String targetId) throws Exception {
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement("SELECT secret_sealed FROM webhook_target WHERE id = ?")) {
            query.setString(1, targetId);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                String sealed = row.getString(1);
                assertNotNull(sealed);
                return sealed;
            }
        }
    }

    static void setSealedSecret(String targetId, String sealed) throws Exception {
        try (Connection db = TestAccounts.database();
             PreparedStatement update = db.prepareStatement("UPDATE webhook_target SET secret_sealed = ? WHERE id = ?")) {
            update.setString(1, sealed);
            update.setString(2, targetId);
            assertEquals(1, update.executeUpdate());
        }
    }

    /** The first sealed form: v1: + base64(IV || AES-256-GCM ciphertext and tag), no associated data. */
    static String sealFirstForm(String plaintext, String keyBase64) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(keyBase64), "AES"),
                new GCMParameterSpec(128, iv));
        byte[] ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        return "v1:" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + ciphertext.length).put(iv)
                .put(ciphertext).array());
    }
}
