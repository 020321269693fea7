package dev.pons.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.FakeGraphApi;
import dev.pons.it.FakeGraphApi.Answer;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/** Registering a number takes proof from the Cloud API ({@link FakeGraphApi} here); releasing it frees it. */
class NumbersIT {

    static final long META_TIMEOUT_MS = Long.getLong("pons.it.metaTimeoutMs", 2000);

    static String body(String phoneNumberId, String accessToken) {
        var json = Json.createObjectBuilder().add("phoneNumberId", phoneNumberId)
                .add("displayPhoneNumber", "+15550783881");
        if (accessToken != null) {
            json.add("accessToken", accessToken);
        }
        return json.build().toString();
    }

    static Api.Reply register(TestAccount account, String phoneNumberId, String accessToken) {
        return Api.post(account.path("/numbers"), account.apiKey(), body(phoneNumberId, accessToken));
    }

    static List<String> listed(TestAccount account) {
        Api.Reply list = Api.get(account.path("/numbers"), account.apiKey());
        assertEquals(200, list.status(), list.body());
        return list.json().getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(n -> n.getString("phoneNumberId")).toList();
    }

    static String details(Api.Reply reply) {
        return reply.json().getJsonArray("details").toString();
    }

    @Test
    void aTokenTheCloudApiAcceptsForTheNumberRegistersIt() throws Exception {
        TestAccount account = TestAccounts.create();
        String id = TestAccounts.newPhoneNumberId();
        String token = "EAAG-secret-token-" + id;
        try (FakeGraphApi graph = FakeGraphApi.start()) {
            graph.own(token, id);

            Api.Reply created = register(account, id, token);

            assertEquals(201, created.status(), created.body());
            assertEquals(id, created.json().getString("phoneNumberId"));
            assertTrue(created.json().getBoolean("hasAccessToken"));
            assertFalse(created.body().contains(token));
            List<FakeGraphApi.Received> proofs = graph.proofs(id);
            assertEquals(1, proofs.size(), "one GET /{phone-number-id} proves the number");
            assertEquals("/v22.0/" + id, proofs.get(0).path());
            assertEquals("Bearer " + token, proofs.get(0).header("Authorization"));
        }

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
    void aTokenMetaRefusesIs400AndRegistersNothing() throws Exception {
        TestAccount account = TestAccounts.create();
        String id = TestAccounts.newPhoneNumberId();
        String token = "EAAG-unknown-" + id;
        try (FakeGraphApi graph = FakeGraphApi.start()) {
            Api.Reply refused = register(account, id, token);

            assertEquals(400, refused.status(), refused.body());
            assertEquals("the access token does not prove this phone number is yours",
                    refused.json().getString("error"));
            assertTrue(details(refused).contains("HTTP 401, code 190"), refused.body());
            assertFalse(refused.body().contains(token), "the token is never echoed");
            assertEquals(1, graph.proofs(id).size());
        }
        assertEquals(List.of(), listed(account));
        assertFalse(TestAccounts.serverLogs().contains(token), "tokens never reach the logs");
    }

    @Test
    void aTokenOfAnotherBusinessAccountIs400() throws Exception {
        TestAccount account = TestAccounts.create();
        String id = TestAccounts.newPhoneNumberId();
        String token = "EAAG-other-waba-" + id;
        try (FakeGraphApi graph = FakeGraphApi.start()) {
            graph.own(token, TestAccounts.newPhoneNumberId());

            Api.Reply refused = register(account, id, token);

            assertEquals(400, refused.status(), refused.body());
            assertTrue(details(refused).contains("HTTP 400, code 100"), refused.body());
        }
        assertEquals(List.of(), listed(account));
    }

    @Test
    void anAnswerForAnotherIdIs400() throws Exception {
        TestAccount account = TestAccounts.create();
        String id = TestAccounts.newPhoneNumberId();
        String otherId = TestAccounts.newPhoneNumberId();
        try (FakeGraphApi graph = FakeGraphApi.start()) {
            graph.answerProof(id, Answer.json(200, FakeGraphApi.phoneNumber(otherId, "+1 555-010-0000")));

            Api.Reply refused = register(account, id, "EAAG-" + id);

            assertEquals(400, refused.status(), refused.body());
            assertTrue(details(refused).contains("answered for phone number id " + otherId + ", not " + id),
                    refused.body());
        }
        assertEquals(List.of(), listed(account));
    }

    @Test
    void aCloudApiThatCannotBeReachedIs502() throws Exception {
        TestAccount account = TestAccounts.create();
        String down = TestAccounts.newPhoneNumberId();
        Api.Reply refusedConnection = register(account, down, "EAAG-" + down);
        assertEquals(502, refusedConnection.status(), refusedConnection.body());
        assertTrue(details(refusedConnection).contains("connection refused"), refusedConnection.body());

        String hangs = TestAccounts.newPhoneNumberId();
        String drops = TestAccounts.newPhoneNumberId();
        String failing = TestAccounts.newPhoneNumberId();
        try (FakeGraphApi graph = FakeGraphApi.start()) {
            graph.answerProof(hangs, Answer.hang());
            graph.answerProof(drops, Answer.drop());
            graph.answerProof(failing, Answer.json(500, "{\"error\":{\"message\":\"An unknown error occurred\","
                    + "\"type\":\"OAuthException\",\"code\":1,\"fbtrace_id\":\"Ax1\"}}"));

            long started = System.nanoTime();
            Api.Reply timedOut = register(account, hangs, "EAAG-" + hangs);
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(502, timedOut.status(), timedOut.body());
            assertTrue(details(timedOut).contains("no answer within " + META_TIMEOUT_MS + " ms"), timedOut.body());
            assertTrue(tookMs < META_TIMEOUT_MS + 5_000, "bounded by pons.meta.timeout-ms, took " + tookMs + " ms");

            assertEquals(502, register(account, drops, "EAAG-" + drops).status());
            Api.Reply metaFailing = register(account, failing, "EAAG-" + failing);
            assertEquals(502, metaFailing.status(), metaFailing.body());
            assertTrue(details(metaFailing).contains("HTTP 500"), metaFailing.body());
        }
        assertEquals(List.of(), listed(account), "nothing registered on any of them");
    }

    @Test
    void theOperatorRegistersWithoutProof() throws Exception {
        TestAccount account = TestAccounts.create();
        String bare = TestAccounts.newPhoneNumberId();
        String withToken = TestAccounts.newPhoneNumberId();
        try (FakeGraphApi graph = FakeGraphApi.start()) {
            Api.Reply first = Api.post(account.path("/numbers"), Api.ADMIN_TOKEN, body(bare, null));
            assertEquals(201, first.status(), first.body());
            assertFalse(first.json().getBoolean("hasAccessToken"));

            Api.Reply second = Api.post(account.path("/numbers"), Api.ADMIN_TOKEN, body(withToken, "EAAG-unproved"));
            assertEquals(201, second.status(), second.body());
            assertTrue(second.json().getBoolean("hasAccessToken"));

            assertEquals(List.of(), graph.proofs(bare));
            assertEquals(List.of(), graph.proofs(withToken), "the operator's word is the proof");
        }
        assertEquals(List.of(bare, withToken), listed(account));
        Api.Reply asOperator = Api.get(account.path("/numbers"), Api.ADMIN_TOKEN);
        assertEquals(200, asOperator.status(), asOperator.body());

        Api.Reply tenantWithoutToken = register(account, TestAccounts.newPhoneNumberId(), null);
        assertEquals(400, tenantWithoutToken.status(), tenantWithoutToken.body());
        assertTrue(details(tenantWithoutToken).contains("accessToken: is required"), tenantWithoutToken.body());
    }

    @Test
    void releasingANumberFreesIt() throws Exception {
        TestAccount first = TestAccounts.create();
        TestAccount second = TestAccounts.create();
        String id = TestAccounts.registerNumber(first, TestAccounts.newPhoneNumberId());

        assertEquals(404, Api.send("DELETE", first.path("/numbers/" + id), second.apiKey(), null).status(),
                "another account's key does not reach it");
        assertEquals(404, Api.send("DELETE", second.path("/numbers/" + id), second.apiKey(), null).status(),
                "a number of another account is not found");
        assertEquals(List.of(id), listed(first));

        Api.Reply released = Api.send("DELETE", first.path("/numbers/" + id), first.apiKey(), null);
        assertEquals(204, released.status(), released.body());
        assertEquals(List.of(), listed(first));
        assertEquals(404, Api.send("DELETE", first.path("/numbers/" + id), first.apiKey(), null).status());

        String token = "EAAG-new-owner-" + id;
        try (FakeGraphApi graph = FakeGraphApi.start()) {
            graph.own(token, id);
            Api.Reply taken = register(second, id, token);
            assertEquals(201, taken.status(), taken.body());
        }
        assertEquals(List.of(id), listed(second));
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement(
                     "SELECT account_id FROM phone_number WHERE phone_number_id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertEquals(second.id(), row.getString(1));
                assertFalse(row.next());
            }
        }
    }

    @Test
    void theOperatorReleasesForAnyAccount() {
        TestAccount account = TestAccounts.create();
        String id = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        assertEquals(204, Api.send("DELETE", account.path("/numbers/" + id), Api.ADMIN_TOKEN, null).status());
        assertEquals(List.of(), listed(account));
    }

    /**
     * A failed proof of a number another account holds answers byte for byte like a failed proof of a
     * number nobody holds; only a proof that succeeds learns that the number is taken.
     */
    @Test
    void aSecondAccountCannotTakeARegisteredNumberAndLearnsNothing() throws Exception {
        TestAccount owner = TestAccounts.create();
        TestAccount other = TestAccounts.create();
        String taken = TestAccounts.registerNumber(owner, TestAccounts.newPhoneNumberId());
        String free = TestAccounts.newPhoneNumberId();
        String otherToken = "EAAG-other-" + taken;
        try (FakeGraphApi graph = FakeGraphApi.start()) {
            Api.Reply onTaken = register(other, taken, otherToken);
            Api.Reply onFree = register(other, free, otherToken);
            assertEquals(400, onTaken.status(), onTaken.body());
            assertEquals(onFree.status(), onTaken.status());
            assertEquals(onFree.body().replace(free, "ID"), onTaken.body().replace(taken, "ID"));

            graph.own(otherToken, free);
            Api.Reply otherWaba = register(other, taken, otherToken);
            Api.Reply otherWabaFree = register(other, TestAccounts.newPhoneNumberId(), otherToken);
            assertEquals(400, otherWaba.status(), otherWaba.body());
            assertEquals(otherWabaFree.json().getString("error"), otherWaba.json().getString("error"));
            assertFalse(otherWaba.body().contains("registered"), otherWaba.body());

            graph.answerProof(taken, Answer.hang());
            Api.Reply unreachable = register(other, taken, otherToken);
            assertEquals(502, unreachable.status(), "Meta is asked before the database: " + unreachable.body());

            // Meta vouches for the token (the number moved to the other business): now it may know.
            graph.answerProof(taken, Answer.json(200, FakeGraphApi.phoneNumber(taken, "+1 555-078-3881")));
            Api.Reply proved = register(other, taken, otherToken);
            assertEquals(409, proved.status(), proved.body());
            assertTrue(proved.json().getString("error").contains("registered with another account"), proved.body());
        }
        assertEquals(List.of(taken), listed(owner), "the owner keeps the number");
        assertEquals(List.of(), listed(other));
    }

    @Test
    void fieldsAreValidatedBeforeMetaIsAsked() throws Exception {
        TestAccount account = TestAccounts.create();
        String id = TestAccounts.newPhoneNumberId();
        try (FakeGraphApi graph = FakeGraphApi.start()) {
            Api.Reply reply = Api.post(account.path("/numbers"), account.apiKey(),
                    "{\"phoneNumberId\":\"abc\",\"displayPhoneNumber\":\"call me\",\"accessToken\":\"EAAG-x\"}");
            assertEquals(400, reply.status(), reply.body());
            assertTrue(details(reply).contains("phoneNumberId: "), reply.body());
            assertTrue(details(reply).contains("displayPhoneNumber: "), reply.body());

            List<String> bodies = List.of(
                    body("1".repeat(65), "EAAG-x"),
                    body(id + "\u0000", "EAAG-x"),
                    body(id, "EAAG-\u0000x"),
                    body(id, "EAAG-\nx"),
                    body(id, "EAAG x"),
                    body(id, "E".repeat(2001)),
                    body(id, "\u00e9".repeat(2000)),
                    body(id, ""),
                    "{\"phoneNumberId\":\"" + id + "\",\"displayPhoneNumber\":\"+" + "1".repeat(40)
                            + "\",\"accessToken\":\"EAAG-x\"}",
                    "{\"phoneNumberId\":\"" + id + "\",\"displayPhoneNumber\":\"+1555\\u0007\",\"accessToken\":\"EAAG-x\"}",
                    "{\"phoneNumberId\":" + id + ",\"displayPhoneNumber\":\"+15550783881\",\"accessToken\":\"EAAG-x\"}",
                    "{\"phoneNumberId\":\"" + id + "\",\"displayPhoneNumber\":\"+15550783881\",\"accessToken\":[\"EAAG-x\"]}",
                    "{\"phoneNumberId\":\"" + id + "\",\"displayPhoneNumber\":\"+15550783881\",\"accessToken\":\"EAAG-x\","
                            + "\"wabaId\":\"1\"}",
                    "[\"" + id + "\"]");
            for (String bad : bodies) {
                Api.Reply refused = Api.post(account.path("/numbers"), account.apiKey(), bad);
                assertEquals(400, refused.status(), bad.length() > 200 ? bad.substring(0, 200) : bad);
                assertNotNull(refused.json().getString("error"), refused.body());
            }
            assertEquals(List.of(), graph.proofs(id), "Meta is not asked about input that is refused anyway");
        }
        assertEquals(List.of(), listed(account));
    }

    @Test
    void tenancy() {
        TestAccount mine = TestAccounts.create();
        TestAccount theirs = TestAccounts.create();
        assertEquals(404, Api.get(theirs.path("/numbers"), mine.apiKey()).status());
        assertEquals(404, Api.post(theirs.path("/numbers"), mine.apiKey(), body("123", "EAAG-x")).status());
        assertEquals(401, Api.get(mine.path("/numbers"), null).status());
        assertEquals(401, Api.get(mine.path("/numbers"), "pons_wrong").status());
        assertEquals(401, Api.send("DELETE", mine.path("/numbers/123"), null, null).status());
    }
}
