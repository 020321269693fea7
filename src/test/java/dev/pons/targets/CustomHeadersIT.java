package dev.pons.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pons.it.Api;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;
import dev.pons.it.Verifier;

/** A target's own headers: sent on every attempt, stored encrypted, answered masked, replaced whole. */
class CustomHeadersIT {

    static final String TOKEN = "Bearer gateway-secret-4711";

    @Test
    void sentOnEveryAttemptStoredSealedShownMaskedAndReplacedWhole() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\"" + receiver.url()
                    + "\",\"events\":[\"message.inbound.received\"],\"headers\":{\"Authorization\":\"" + TOKEN
                    + "\",\"X-Tenant\":\"acme-co\"}}");
            assertEquals(201, created.status(), created.body());
            JsonObject target = created.json();
            String id = target.getString("id");
            assertEquals("••••4711", target.getJsonObject("headers").getString("Authorization"));
            assertEquals("••••", target.getJsonObject("headers").getString("X-Tenant"), "short values show only the mask");
            assertFalse(created.body().contains("gateway-secret"), "values never come back");

            Api.Reply test = Api.post(account.path("/webhook-targets/" + id + "/test"), account.apiKey(), "{}");
            assertTrue(test.json().getBoolean("succeeded"), test.body());
            Receiver.Request first = receiver.requests().get(0);
            assertEquals(TOKEN, first.header("Authorization"));
            assertEquals("acme-co", first.header("X-Tenant"));
            assertTrue(Verifier.verifies(target.getString("signingSecret"), first), "the signature is untouched");

            try (Connection db = TestAccounts.database();
                 PreparedStatement query = db.prepareStatement(
                         "SELECT headers_sealed, headers_preview FROM webhook_target WHERE id = ?")) {
                query.setString(1, id);
                try (ResultSet row = query.executeQuery()) {
                    assertTrue(row.next());
                    assertFalse(row.getString(1).contains("gateway-secret"), "values are stored encrypted");
                    assertFalse(row.getString(2).contains("gateway-secret"));
                }
            }

            Api.Reply patched = Api.send("PATCH", account.path("/webhook-targets/" + id), account.apiKey(),
                    "{\"headers\":{\"X-Other\":\"other-value-0815\"}}");
            assertEquals(200, patched.status(), patched.body());
            assertEquals(1, patched.json().getJsonObject("headers").size(), "PATCH replaces the whole map");
            Api.post(account.path("/webhook-targets/" + id + "/test"), account.apiKey(), "{}");
            Receiver.Request second = receiver.requests().get(1);
            assertEquals("other-value-0815", second.header("X-Other"));
            assertNull(second.header("Authorization"));
            assertNull(second.header("X-Tenant"));

            Api.Reply kept = Api.send("PATCH", account.path("/webhook-targets/" + id), account.apiKey(), "{\"name\":\"renamed\"}");
            assertEquals(1, kept.json().getJsonObject("headers").size(), "a PATCH without headers keeps them");
            Api.Reply cleared = Api.send("PATCH", account.path("/webhook-targets/" + id), account.apiKey(), "{\"headers\":null}");
            assertEquals(0, cleared.json().getJsonObject("headers").size());
            Api.post(account.path("/webhook-targets/" + id + "/test"), account.apiKey(), "{}");
            assertNull(receiver.requests().get(2).header("X-Other"));

            assertFalse(TestAccounts.serverLogs().contains("gateway-secret"), "values never reach the logs");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "Content-Length", "content-type", "Transfer-Encoding", "Connection", "Keep-Alive",
            "Upgrade", "TE", "Trailer", "Expect", "User-Agent", "Proxy-Authorization", "X-Pons-Signature",
            "x-pons-anything", "webhook-signature", "Webhook-Id"})
    void reservedNamesAnswer400AndChangeNothing(String name) {
        TestAccount account = TestAccounts.create();
        Api.Reply refused = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"headers\":{\"" + name
                        + "\":\"v\"}}");
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.json().getJsonArray("details").getString(0).startsWith("headers." + name + ": "), refused.body());
        assertEquals(0, Api.get(account.path("/webhook-targets"), account.apiKey()).json().getJsonArray("items").size());
    }

    @Test
    void aRefusedPatchKeepsTheHeadersThereWere() {
        TestAccount account = TestAccounts.create();
        String id = Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\"http://127.0.0.1:9/x\","
                + "\"events\":[\"message.inbound.received\"],\"headers\":{\"X-Key\":\"value-12345678\"}}").json().getString("id");
        Api.Reply refused = Api.send("PATCH", account.path("/webhook-targets/" + id), account.apiKey(),
                "{\"headers\":{\"X-Key\":\"line\\r\\nX-Injected: yes\"}}");
        assertEquals(400, refused.status(), refused.body());
        assertEquals("••••5678", Api.get(account.path("/webhook-targets/" + id), account.apiKey()).json()
                .getJsonObject("headers").getString("X-Key"));
    }
}
