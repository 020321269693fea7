package dev.pons.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pons.it.Api;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

class TargetsIT {

    static final String VALID = "{\"name\":\"CRM\",\"url\":\"http://127.0.0.1:9/hook\","
            + "\"events\":[\"message.inbound.received\",\"message.status.updated\"]}";

    static JsonObject create(TestAccount account, String body) {
        Api.Reply reply = Api.post(account.path("/webhook-targets"), account.apiKey(), body);
        assertEquals(201, reply.status(), reply.body());
        return reply.json();
    }

    @Test
    void createShowsTheSecretOnceAndAppliesDefaults() throws Exception {
        TestAccount account = TestAccounts.create();
        JsonObject created = create(account, VALID);
        String secret = created.getString("signingSecret");
        assertTrue(secret.startsWith("whsec_") && secret.length() >= 40, secret);
        assertEquals("••••••" + secret.substring(secret.length() - 6), created.getString("signingSecretPreview"));
        assertEquals(8, created.getInt("maxAttempts"));
        assertEquals(10_000, created.getInt("timeoutMs"));
        assertEquals(5_000, created.getJsonNumber("initialBackoffMs").longValue());
        assertEquals(3_600_000, created.getJsonNumber("maxBackoffMs").longValue());
        assertTrue(created.getBoolean("enabled"));
        assertEquals(List.of(), created.getJsonArray("phoneNumberIds"));
        assertEquals(0, created.getInt("consecutiveFailures"));
        for (String field : List.of("lastSuccessAt", "lastFailureAt", "lastError")) {
            assertEquals(JsonValue.NULL, created.get(field), field);
        }
        String id = created.getString("id");

        Api.Reply one = Api.get(account.path("/webhook-targets/" + id), account.apiKey());
        assertEquals(200, one.status());
        assertFalse(one.json().containsKey("signingSecret"));
        assertFalse(one.body().contains(secret));
        Api.Reply list = Api.get(account.path("/webhook-targets"), account.apiKey());
        assertEquals(200, list.status());
        assertEquals(id, list.json().getJsonArray("items").getJsonObject(0).getString("id"));
        assertFalse(list.body().contains(secret));

        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement("SELECT secret_sealed FROM webhook_target WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertFalse(row.getString(1).contains(secret), "stored encrypted");
                assertFalse(row.getString(1).contains(secret.substring(6)), "stored encrypted");
            }
        }
        assertFalse(TestAccounts.serverLogs().contains(secret), "secrets never reach the logs");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[1, 2]|array", "\"a string\"|string", "42|number"})
    void aBodyThatIsNotAJsonObjectIsRefusedWith400AndTheKeyStaysOutOfTheLog(String body, String kind) throws Exception {
        TestAccount account = TestAccounts.create();
        Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(), body);
        assertEquals(400, created.status(), created.body());
        assertEquals("request body must be a JSON object, not " + kind, created.json().getString("error"));
        Api.Reply replay = Api.post(account.path("/webhook-targets/whk_none/replay"), account.apiKey(), body);
        assertEquals(400, replay.status(), replay.body());
        assertFalse(TestAccounts.serverLogs().contains(account.apiKey()), "the API key appeared in the server log");
    }

    @Test
    void patchChangesOnlyWhatItNames() {
        TestAccount account = TestAccounts.create();
        String phone = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        JsonObject created = create(account, VALID);
        String path = account.path("/webhook-targets/" + created.getString("id"));
        Api.Reply patched = Api.send("PATCH", path, account.apiKey(),
                "{\"enabled\":false,\"maxAttempts\":3,\"phoneNumberIds\":[\"" + phone + "\"]}");
        assertEquals(200, patched.status(), patched.body());
        JsonObject target = patched.json();
        assertFalse(target.getBoolean("enabled"));
        assertEquals(3, target.getInt("maxAttempts"));
        assertEquals(phone, target.getJsonArray("phoneNumberIds").getString(0));
        assertEquals("CRM", target.getString("name"));
        assertEquals(created.getString("url"), target.getString("url"));
        assertEquals(created.getString("signingSecretPreview"), target.getString("signingSecretPreview"));
    }

    @Test
    void phoneNumberIdsAreKeptOnceAndRefusedWhenTooLongToStore() {
        TestAccount account = TestAccounts.create();
        String phone = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        String repeated = ("\"" + phone + "\",").repeat(100);
        Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"phoneNumberIds\":["
                        + repeated.substring(0, repeated.length() - 1) + "]}");
        assertEquals(201, created.status(), created.body());
        assertEquals(List.of(phone), created.json().getJsonArray("phoneNumberIds").getValuesAs(
                jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());

        // 62 registered ids of 64 digits: 4,029 characters with their commas, over the column's 4,000.
        StringBuilder longIds = new StringBuilder();
        for (int i = 0; i < 62; i++) {
            String id = String.format("%064d", Math.abs(new java.util.Random().nextLong()) % 1_000_000_000_000L * 100 + i);
            TestAccounts.registerNumber(account, id);
            longIds.append(i == 0 ? "" : ",").append('"').append(id).append('"');
        }
        String path = account.path("/webhook-targets/" + created.json().getString("id"));
        Api.Reply tooLong = Api.send("PATCH", path, account.apiKey(), "{\"phoneNumberIds\":[" + longIds + "]}");
        assertEquals(400, tooLong.status(), tooLong.body());
        assertTrue(tooLong.body().contains("phoneNumberIds: at most 4000 characters together"), tooLong.body());
        assertEquals(List.of(phone), Api.get(path, account.apiKey()).json().getJsonArray("phoneNumberIds")
                .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList(),
                "nothing half-written");
    }

    @Test
    void deleteRemovesTheTarget() {
        TestAccount account = TestAccounts.create();
        String path = account.path("/webhook-targets/" + create(account, VALID).getString("id"));
        assertEquals(204, Api.send("DELETE", path, account.apiKey(), null).status());
        assertEquals(404, Api.get(path, account.apiKey()).status());
        assertEquals(404, Api.send("DELETE", path, account.apiKey(), null).status());
    }

    @Test
    void rotationShowsTheNewSecretOnceAndKeepsTheOldOneForTheGracePeriod() {
        TestAccount account = TestAccounts.create();
        JsonObject created = create(account, VALID);
        String path = account.path("/webhook-targets/" + created.getString("id") + "/rotate-secret");
        long before = System.currentTimeMillis();
        Api.Reply rotated = Api.post(path, account.apiKey(), "{\"gracePeriodMs\":3600000}");
        assertEquals(200, rotated.status(), rotated.body());
        String newSecret = rotated.json().getString("signingSecret");
        assertNotEquals(created.getString("signingSecret"), newSecret);
        long expires = rotated.json().getJsonNumber("previousSecretExpiresAt").longValue();
        assertTrue(expires >= before + 3_600_000 && expires <= System.currentTimeMillis() + 3_600_000, "expires " + expires);

        Api.Reply defaultGrace = Api.post(path, account.apiKey(), "{}");
        assertEquals(200, defaultGrace.status(), defaultGrace.body());
        long expiresDefault = defaultGrace.json().getJsonNumber("previousSecretExpiresAt").longValue();
        assertTrue(expiresDefault >= before + 24 * 3_600_000L, "default grace is 24 h");

        Api.Reply tooLong = Api.post(path, account.apiKey(), "{\"gracePeriodMs\":999999999999}");
        assertEquals(400, tooLong.status());
        assertTrue(tooLong.body().contains("gracePeriodMs: "), tooLong.body());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"url\":\"http://127.0.0.1:9/x\"}|events: is required",
            "{\"events\":[\"message.inbound.received\"]}|url: is required",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[]}|events: must name at least one",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.bogus\"]}|events: unknown event type",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":\"message.inbound.received\"}|events: must be an array",
            "{\"url\":\"http://example.com/x\",\"events\":[\"message.inbound.received\"]}|url: ",
            "{\"url\":\"http://localhost.evil.example/x\",\"events\":[\"message.inbound.received\"]}|url: ",
            "{\"url\":\"http://user@localhost/x\",\"events\":[\"message.inbound.received\"]}|url: ",
            "{\"url\":\"https://10.0.0.1/x\",\"events\":[\"message.inbound.received\"]}|url: ",
            "{\"url\":\"https://169.254.169.254/latest\",\"events\":[\"message.inbound.received\"]}|url: ",
            "{\"url\":\"not a url\",\"events\":[\"message.inbound.received\"]}|url: ",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"maxAttempts\":0}|maxAttempts: must be between 1 and 20",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"maxAttempts\":21}|maxAttempts: must be between 1 and 20",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"timeoutMs\":999}|timeoutMs: must be between 1000 and 60000",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"timeoutMs\":60001}|timeoutMs: must be between 1000 and 60000",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"initialBackoffMs\":\"fast\"}|initialBackoffMs: must be a whole number",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"initialBackoffMs\":90000,\"maxBackoffMs\":60000}|initialBackoffMs: must not exceed maxBackoffMs",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"enabled\":\"yes\"}|enabled: must be true or false",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"name\":\"\"}|name: must not be empty",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"name\":\"C\\u0000RM\"}|name: must not contain control characters",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"phoneNumberIds\":[\"999\"]}|phoneNumberIds: 999 is not a registered number",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"phoneNumberIds\":[\"9\\u00009\"]}|phoneNumberIds: each entry must not contain control characters",
            "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],\"colour\":\"red\"}|colour: unknown field",
    })
    void invalidTargetsAreRefusedWithTheFieldNamed(String body, String expectedDetail) {
        TestAccount account = TestAccounts.create();
        Api.Reply reply = Api.post(account.path("/webhook-targets"), account.apiKey(), body);
        assertEquals(400, reply.status(), reply.body());
        assertEquals("invalid webhook target", reply.json().getString("error"));
        String details = reply.json().getJsonArray("details").toString();
        assertTrue(details.contains(expectedDetail), details);
        assertEquals(0, Api.get(account.path("/webhook-targets"), account.apiKey()).json().getJsonArray("items").size(),
                "nothing half-written");
    }

    @Test
    void patchIsValidatedToo() {
        TestAccount account = TestAccounts.create();
        String path = account.path("/webhook-targets/" + create(account, VALID).getString("id"));
        Api.Reply reply = Api.send("PATCH", path, account.apiKey(), "{\"url\":\"http://example.com/\",\"maxAttempts\":99}");
        assertEquals(400, reply.status(), reply.body());
        String details = reply.json().getJsonArray("details").toString();
        assertTrue(details.contains("url: ") && details.contains("maxAttempts: "), details);
        assertEquals(8, Api.get(path, account.apiKey()).json().getInt("maxAttempts"), "nothing half-written");
    }

    @Test
    void tenancyOnEveryCall() {
        TestAccount mine = TestAccounts.create();
        TestAccount theirs = TestAccounts.create();
        String theirTarget = create(theirs, VALID).getString("id");
        String other = theirs.path("/webhook-targets/" + theirTarget);
        String mineViaTheirId = mine.path("/webhook-targets/" + theirTarget);
        assertEquals(404, Api.get(other, mine.apiKey()).status());
        assertEquals(404, Api.get(mineViaTheirId, mine.apiKey()).status());
        assertEquals(404, Api.send("PATCH", mineViaTheirId, mine.apiKey(), "{\"enabled\":false}").status());
        assertEquals(404, Api.send("DELETE", mineViaTheirId, mine.apiKey(), null).status());
        assertEquals(404, Api.post(mineViaTheirId + "/rotate-secret", mine.apiKey(), "{}").status());
        assertEquals(404, Api.post(theirs.path("/webhook-targets"), mine.apiKey(), VALID).status());
        assertEquals(404, Api.get(theirs.path("/webhook-targets"), mine.apiKey()).status());
        assertEquals(401, Api.get(other, null).status());
        assertEquals(401, Api.get(other, "pons_nope").status());
        assertTrue(Api.get(other, theirs.apiKey()).json().getBoolean("enabled"), "untouched by the other tenant");
    }

    @Test
    void listIsPaginatedNewestFirst() {
        TestAccount account = TestAccounts.create();
        String first = create(account, VALID).getString("id");
        String second = create(account, VALID).getString("id");
        String third = create(account, VALID).getString("id");
        Api.Reply page1 = Api.get(account.path("/webhook-targets?limit=2"), account.apiKey());
        assertEquals(200, page1.status(), page1.body());
        var items = page1.json().getJsonArray("items");
        assertEquals(List.of(third, second), List.of(items.getJsonObject(0).getString("id"), items.getJsonObject(1).getString("id")));
        String cursor = page1.json().getString("nextCursor");
        Api.Reply page2 = Api.get(account.path("/webhook-targets?limit=2&cursor=" + cursor), account.apiKey());
        assertEquals(first, page2.json().getJsonArray("items").getJsonObject(0).getString("id"));
        assertNull(Api.string(page2.json(), "nextCursor"));
        assertEquals(400, Api.get(account.path("/webhook-targets?limit=0"), account.apiKey()).status());
        Api.Reply notANumber = Api.get(account.path("/webhook-targets?limit=abc"), account.apiKey());
        assertEquals(400, notANumber.status(), notANumber.body());
        assertTrue(notANumber.json().getJsonArray("details").getString(0).startsWith("limit: "), notANumber.body());
    }
}
