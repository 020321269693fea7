package dev.pons.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.Meta;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/** Meta's webhook endpoint on the real server: handshake, signatures, events, deduplication. */
class MetaWebhookIT {

    static JsonArray events(TestAccount account, String type) {
        Api.Reply reply = Api.get(account.path("/events" + (type == null ? "" : "?type=" + type)), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("items");
    }

    static JsonArray awaitEvents(TestAccount account, String type, int count) {
        Api.await(count + " " + type + " event(s)", Duration.ofSeconds(15), () -> events(account, type).size() >= count);
        return events(account, type);
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    static JsonObject firstMessage(String webhook) {
        return json(webhook).getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
                .getJsonObject("value").getJsonArray("messages").getJsonObject(0);
    }

    static JsonObject firstStatus(String webhook) {
        return json(webhook).getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
                .getJsonObject("value").getJsonArray("statuses").getJsonObject(0);
    }

    @Test
    void verificationHandshake() {
        Api.Reply ok = Api.get("/webhooks/meta?hub.mode=subscribe&hub.verify_token=" + Meta.VERIFY_TOKEN + "&hub.challenge=1158201444", null);
        assertEquals(200, ok.status());
        assertEquals("1158201444", ok.body());
        assertTrue(ok.header("Content-Type").startsWith("text/plain"), ok.header("Content-Type"));
        assertEquals(403, Api.get("/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", null).status());
        assertEquals(403, Api.get("/webhooks/meta?hub.mode=unsubscribe&hub.verify_token=" + Meta.VERIFY_TOKEN
                + "&hub.challenge=1", null).status());
        assertEquals(403, Api.get("/webhooks/meta", null).status());
    }

    @Test
    void theSignatureTestVectorVerifiesOnTheRealEndpoint() {
        byte[] body = Meta.fixtureBytes("signature-vector.body");
        Api.Reply reply = Meta.post(body, "sha256=400012f2509f8f86cfb61a3e32f6be29501891ae6ce2194c24380f4d56e9b9a0");
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.json().getString("id").startsWith("mwh_"));
    }

    @Test
    void badSignaturesAre401AndStoreNothing() throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[],\"m\":\"" + marker + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String good = Meta.sign(body, Meta.APP_SECRET);
        List<String> wrong = List.of(
                Meta.sign(body, "another secret"),
                good.replace("sha256=", "sha1="),
                good.substring("sha256=".length()),
                "sha256=" + "0".repeat(64),
                good.toUpperCase().replace("SHA256=", "sha256=X"));
        for (String header : wrong) {
            Api.Reply reply = Meta.post(body, header);
            assertEquals(401, reply.status(), header);
            assertEquals("missing or invalid X-Hub-Signature-256", reply.json().getString("error"));
        }
        assertEquals(401, Meta.post(body, null).status());
        byte[] flipped = body.clone();
        flipped[5] ^= 1;
        assertEquals(401, Meta.post(flipped, good).status());
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM meta_webhook_log WHERE body LIKE ?")) {
            query.setString(1, "%" + marker + "%");
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertEquals(0, row.getInt(1), "nothing stored for a bad signature");
            }
        }
    }

    @Test
    void bodiesOverThreeMebibytesAre413() {
        byte[] body = new byte[3 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        Api.Reply reply = Meta.post(body, Meta.sign(body, Meta.APP_SECRET));
        assertEquals(413, reply.status());
    }

    @Test
    void inboundTextBecomesAnEventFieldByField() {
        TestAccount account = TestAccounts.create();
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        String webhook = Meta.fresh("inbound-text.json", number);
        assertEquals(200, Meta.post(webhook).status());

        JsonObject event = awaitEvents(account, "message.inbound.received", 1).getJsonObject(0);
        JsonObject meta = firstMessage(webhook);
        assertTrue(event.getString("id").startsWith("evt_"));
        assertEquals("message.inbound.received", event.getString("type"));
        assertEquals("meta_webhook", event.getString("source"));
        assertEquals(account.id(), event.getString("accountId"));
        assertEquals(1768215304000L, event.getJsonNumber("occurredAt").longValue());
        JsonObject payload = event.getJsonObject("payload");
        assertEquals(meta.getString("id"), payload.getString("waMessageId"));
        assertEquals(number, payload.getString("phoneNumberId"));
        assertEquals("15550783881", payload.getString("displayPhoneNumber"));
        assertEquals("16505551234", payload.getString("from"));
        assertEquals("Sheena Nelson", payload.getString("contactName"));
        assertEquals("text", payload.getString("type"));
        assertEquals("Hi, is my order #8812 shipped yet?", payload.getString("text"));
        assertEquals(1768215304000L, payload.getJsonNumber("timestamp").longValue());
        assertEquals(meta, payload.getJsonObject("raw"));
    }

    @Test
    void interactiveAndReactionMessages() {
        TestAccount account = TestAccounts.create();
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        String button = Meta.fresh("inbound-interactive-button.json", number);
        String reaction = Meta.fresh("inbound-reaction.json", number);
        assertEquals(200, Meta.post(button).status());
        assertEquals(200, Meta.post(reaction).status());
        JsonArray events = awaitEvents(account, "message.inbound.received", 2);
        for (JsonObject event : events.getValuesAs(JsonObject.class)) {
            JsonObject payload = event.getJsonObject("payload");
            if (payload.getString("type").equals("interactive")) {
                assertEquals(firstMessage(button).getJsonObject("interactive"), payload.getJsonObject("interactive"));
                assertEquals(firstMessage(button).getJsonObject("context").getString("id"),
                        payload.getJsonObject("context").getString("id"));
            } else {
                assertEquals("reaction", payload.getString("type"));
                JsonObject metaReaction = firstMessage(reaction).getJsonObject("reaction");
                assertEquals(metaReaction.getString("message_id"), payload.getJsonObject("reaction").getString("messageId"));
                assertEquals("\uD83D\uDC4D", payload.getJsonObject("reaction").getString("emoji"));
            }
        }
    }

    @Test
    void statusesBecomeStatusEvents() {
        TestAccount account = TestAccounts.create();
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        for (String fixture : List.of("status-sent.json", "status-read.json", "status-failed.json")) {
            String webhook = Meta.fresh(fixture, number);
            assertEquals(200, Meta.post(webhook).status());
            JsonObject metaStatus = firstStatus(webhook);
            Api.await(fixture, Duration.ofSeconds(15), () -> events(account, "message.status.updated").stream()
                    .map(v -> v.asJsonObject().getJsonObject("payload"))
                    .anyMatch(p -> p.getString("waMessageId").equals(metaStatus.getString("id"))));
            JsonObject payload = events(account, "message.status.updated").stream()
                    .map(v -> v.asJsonObject().getJsonObject("payload"))
                    .filter(p -> p.getString("waMessageId").equals(metaStatus.getString("id"))).findFirst().orElseThrow();
            assertEquals(metaStatus.getString("status"), payload.getString("status"));
            assertEquals(number, payload.getString("phoneNumberId"));
            assertEquals(metaStatus.getString("recipient_id"), payload.getString("recipientId"));
            assertEquals(Long.parseLong(metaStatus.getString("timestamp")) * 1000, payload.getJsonNumber("timestamp").longValue());
            if (metaStatus.containsKey("errors")) {
                assertEquals(131047, payload.getJsonArray("errors").getJsonObject(0).getInt("code"));
            }
            if (metaStatus.containsKey("pricing")) {
                assertEquals(metaStatus.getJsonObject("pricing"), payload.getJsonObject("pricing"));
            }
        }
    }

    @Test
    void batchesYieldEveryMessageAndStatus() {
        TestAccount account = TestAccounts.create();
        String first = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        String second = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        String run = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder entries = new StringBuilder();
        int n = 0;
        for (String number : List.of(first, second)) {
            if (entries.length() > 0) {
                entries.append(',');
            }
            entries.append("{\"id\":\"102290129340398\",\"changes\":[");
            for (int change = 0; change < 2; change++) {
                entries.append(change > 0 ? "," : "").append("{\"field\":\"messages\",\"value\":{\"messaging_product\":")
                        .append("\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"")
                        .append(number).append("\"},\"messages\":[");
                for (int m = 0; m < 2; m++) {
                    entries.append(m > 0 ? "," : "").append("{\"from\":\"16505551234\",\"id\":\"wamid.").append(run)
                            .append('-').append(n++).append("\",\"timestamp\":\"1768215304\",\"type\":\"text\",")
                            .append("\"text\":{\"body\":\"batch\"}}");
                }
                entries.append("],\"statuses\":[");
                for (int s = 0; s < 3; s++) {
                    entries.append(s > 0 ? "," : "").append("{\"id\":\"wamid.").append(run).append("-s").append(n++)
                            .append("\",\"status\":\"delivered\",\"timestamp\":\"1768302011\",\"recipient_id\":\"16505551234\"}");
                }
                entries.append("]}}");
            }
            entries.append("]}");
        }
        // A change of another field is ignored without error.
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[" + entries
                + ",{\"id\":\"1\",\"changes\":[{\"field\":\"account_update\",\"value\":{\"event\":\"VERIFIED_ACCOUNT\"}}]}]}";
        assertEquals(200, Meta.post(body).status());
        assertEquals(8, awaitEvents(account, "message.inbound.received", 8).size());
        assertEquals(12, awaitEvents(account, "message.status.updated", 12).size());
    }

    @Test
    void duplicatesYieldNoSecondEvent() throws Exception {
        TestAccount account = TestAccounts.create();
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        String webhook = Meta.fresh("inbound-text.json", number);
        assertEquals(200, Meta.post(webhook).status());
        awaitEvents(account, "message.inbound.received", 1);
        assertEquals(200, Meta.post(webhook).status());
        // A redelivery re-serialised by Meta (other whitespace) is the same message too.
        assertEquals(200, Meta.post(webhook.replace("{\"from\"", "{ \"from\"")).status());
        awaitProcessed(webhook);
        assertEquals(1, events(account, null).size());
    }

    @Test
    void twentyConcurrentCopiesYieldExactlyOneEvent() throws Exception {
        TestAccount account = TestAccounts.create();
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        String webhook = Meta.fresh("inbound-text.json", number);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Api.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(pool.submit(() -> Meta.post(webhook)));
            }
            for (Future<Api.Reply> reply : replies) {
                assertEquals(200, reply.get().status());
            }
        } finally {
            pool.shutdown();
        }
        awaitEvents(account, "message.inbound.received", 1);
        Api.await("all 20 copies processed", Duration.ofSeconds(30), () -> unprocessed(webhook) == 0);
        assertEquals(1, events(account, null).size());
    }

    @Test
    void signedGarbageIsKeptAsMalformedAndAnswered200() throws Exception {
        String marker = "garbage-" + UUID.randomUUID();
        String truncated = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + marker + "\",\"changes\":[";
        assertEquals(200, Meta.post(truncated).status());
        String wrongShape = "{\"object\":\"whatsapp_business_account\",\"entry\":\"" + marker + "\"}";
        assertEquals(200, Meta.post(wrongShape).status());
        Api.await("garbage marked malformed", Duration.ofSeconds(15), () -> statuses(marker).equals(List.of("malformed", "malformed")));
    }

    @Test
    void numbersNoAccountOwnsAreKeptNotForwarded() throws Exception {
        String unowned = TestAccounts.newPhoneNumberId();
        String webhook = Meta.fresh("inbound-text.json", unowned);
        assertEquals(200, Meta.post(webhook).status());
        awaitProcessed(webhook);
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement(
                     "SELECT unrouted, event_count FROM meta_webhook_log WHERE body = ?")) {
            query.setString(1, webhook);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertEquals(1, row.getInt(1));
                assertEquals(0, row.getInt(2));
            }
        }
    }

    static void awaitProcessed(String body) {
        Api.await("webhook processed", Duration.ofSeconds(15), () -> unprocessed(body) == 0);
    }

    static int unprocessed(String body) {
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement(
                     "SELECT COUNT(*) FROM meta_webhook_log WHERE body = ? AND status = 'received'")) {
            query.setString(1, body);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> statuses(String marker) {
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement(
                     "SELECT status FROM meta_webhook_log WHERE body LIKE ? ORDER BY received_at")) {
            query.setString(1, "%" + marker + "%");
            List<String> result = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    result.add(row.getString(1));
                }
            }
            return result;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
