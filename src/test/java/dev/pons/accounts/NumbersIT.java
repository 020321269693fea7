package dev.pons.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

class NumbersIT {

    @Test
    void registerAndListWithoutEverShowingTheToken() throws Exception {
        TestAccount account = TestAccounts.create();
        String id = TestAccounts.newPhoneNumberId();
        String token = "EAAG-secret-token-" + id;
        Api.Reply created = Api.post(account.path("/numbers"), account.apiKey(),
                "{\"phoneNumberId\":\"" + id + "\",\"displayPhoneNumber\":\"+15550783881\",\"accessToken\":\"" + token + "\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals(id, created.json().getString("phoneNumberId"));
        assertTrue(created.json().getBoolean("hasAccessToken"));
        assertFalse(created.body().contains(token));

        Api.Reply list = Api.get(account.path("/numbers"), account.apiKey());
        assertEquals(200, list.status());
        JsonObject first = list.json().getJsonArray("items").getJsonObject(0);
        assertEquals(id, first.getString("phoneNumberId"));
        assertEquals("+15550783881", first.getString("displayPhoneNumber"));
        assertFalse(list.body().contains(token));

        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement(
                     "SELECT access_token_sealed FROM phone_number WHERE phone_number_id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                String stored = row.getString(1);
                assertNotNull(stored);
                assertFalse(stored.contains(token), "access tokens are stored encrypted");
            }
        }
        assertFalse(TestAccounts.serverLogs().contains(token), "tokens never reach the logs");
    }

    @Test
    void aNumberBelongsToOneAccount() {
        TestAccount first = TestAccounts.create();
        TestAccount second = TestAccounts.create();
        String id = TestAccounts.registerNumber(first, TestAccounts.newPhoneNumberId());
        String body = "{\"phoneNumberId\":\"" + id + "\",\"displayPhoneNumber\":\"+15550001111\"}";
        Api.Reply again = Api.post(first.path("/numbers"), first.apiKey(), body);
        assertEquals(409, again.status(), again.body());
        Api.Reply other = Api.post(second.path("/numbers"), second.apiKey(), body);
        assertEquals(409, other.status(), other.body());
        assertTrue(other.json().getString("error").contains("already registered"));
    }

    @Test
    void fieldsAreValidated() {
        TestAccount account = TestAccounts.create();
        Api.Reply reply = Api.post(account.path("/numbers"), account.apiKey(),
                "{\"phoneNumberId\":\"abc\",\"displayPhoneNumber\":\"call me\"}");
        assertEquals(400, reply.status(), reply.body());
        String details = reply.json().getJsonArray("details").toString();
        assertTrue(details.contains("phoneNumberId: "), details);
        assertTrue(details.contains("displayPhoneNumber: "), details);
    }

    @Test
    void tenancy() {
        TestAccount mine = TestAccounts.create();
        TestAccount theirs = TestAccounts.create();
        assertEquals(404, Api.get(theirs.path("/numbers"), mine.apiKey()).status());
        assertEquals(404, Api.post(theirs.path("/numbers"), mine.apiKey(),
                "{\"phoneNumberId\":\"123\",\"displayPhoneNumber\":\"+1555\"}").status());
        assertEquals(401, Api.get(mine.path("/numbers"), null).status());
        assertEquals(401, Api.get(mine.path("/numbers"), "pons_wrong").status());
    }
}
