package dev.pons.sending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pons.it.Api;
import dev.pons.it.FakeGraphApi;
import dev.pons.it.FakeGraphApi.Answer;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/** POST /api/v1/accounts/{id}/messages against the real server, which calls {@link FakeGraphApi}. */
class SendApiIT {

    static final long META_TIMEOUT_MS = Long.getLong("pons.it.metaTimeoutMs", 2000);
    static final String APP_SECRET = dev.pons.it.Meta.APP_SECRET;
    static final String CUSTOMER = "16505551234";

    static FakeGraphApi graph;

    @BeforeAll
    static void startFakeGraphApi() throws Exception {
        graph = FakeGraphApi.start();
    }

    @AfterAll
    static void stopFakeGraphApi() {
        graph.close();
    }

    /** An account with one number whose access token is {@link #token}. */
    record Sender(TestAccount account, String phoneNumberId) {
        String token() {
            return "EAAG-test-token-" + phoneNumberId;
        }

        Api.Reply send(String body) {
            return Api.post(account.path("/messages"), account.apiKey(), body.replace("PHONE", phoneNumberId));
        }

        JsonArray events(String type) {
            Api.Reply reply = Api.get(account.path("/events?type=" + type), account.apiKey());
            assertEquals(200, reply.status(), reply.body());
            return reply.json().getJsonArray("items");
        }
    }

    static Sender sender() {
        TestAccount account = TestAccounts.create();
        return new Sender(account, TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId()));
    }

    static String newWamid() {
        return "wamid.HBgL" + UUID.randomUUID().toString().replace("-", "").toUpperCase() + "AA==";
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    static List<String> keys(JsonObject object) {
        return new ArrayList<>(object.keySet());
    }

    /** The stored outbound_message row: status, wa_message_id, recipient, type, account_id, phone_number_id, error. */
    static List<String> stored(String messageId) throws Exception {
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement("SELECT status, wa_message_id, recipient, type, account_id,"
                     + " phone_number_id, error FROM outbound_message WHERE id = ?")) {
            query.setString(1, messageId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= 7; i++) {
                    values.add(row.getString(i));
                }
                return values;
            }
        }
    }

    static final String TEXT = "{\"phoneNumberId\":\"PHONE\",\"to\":\"+" + CUSTOMER + "\",\"type\":\"text\","
            + "\"text\":{\"body\":\"Your order 8812 has shipped\"}}";

    @Test
    void aTextMessageIsSentStoredAndEmitted() throws Exception {
        Sender sender = sender();
        String wamid = newWamid();
        graph.answer(sender.phoneNumberId(), Answer.json(200, FakeGraphApi.successWith(wamid)));
        long before = System.currentTimeMillis();

        Api.Reply reply = sender.send("{\"phoneNumberId\":\"PHONE\",\"to\":\"+16505551234\",\"type\":\"text\","
                + "\"text\":{\"body\":\"Tracking: https://example.com/t/8812\",\"previewUrl\":true},"
                + "\"context\":{\"messageId\":\"wamid.INBOUND\"}}");
        long after = System.currentTimeMillis();

        assertEquals(201, reply.status(), reply.body());
        JsonObject sent = reply.json();
        String messageId = sent.getString("messageId");
        assertTrue(messageId.startsWith("msg_"), messageId);
        assertEquals(wamid, sent.getString("waMessageId"));
        assertEquals("sent", sent.getString("status"));

        List<FakeGraphApi.Received> calls = graph.received(sender.phoneNumberId());
        assertEquals(1, calls.size(), "sent once");
        FakeGraphApi.Received call = calls.get(0);
        assertEquals("POST", call.method());
        assertEquals("/v22.0/" + sender.phoneNumberId() + "/messages", call.path());
        assertEquals("Bearer " + sender.token(), call.header("Authorization"));
        assertTrue(call.header("Content-Type").startsWith("application/json"), call.header("Content-Type"));
        assertEquals(json("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                + "\"to\":\"+16505551234\",\"context\":{\"message_id\":\"wamid.INBOUND\"},\"type\":\"text\","
                + "\"text\":{\"body\":\"Tracking: https://example.com/t/8812\",\"preview_url\":true}}"), json(call.body()));

        assertEquals(List.of("sent", wamid, "+16505551234", "text", sender.account().id(), sender.phoneNumberId()),
                stored(messageId).subList(0, 6));
        assertNull(stored(messageId).get(6));

        JsonArray events = sender.events("message.outbound.sent");
        assertEquals(1, events.size(), events.toString());
        JsonObject event = events.getJsonObject(0);
        assertEquals("message.outbound.sent", event.getString("type"));
        assertEquals("pons_send", event.getString("source"));
        assertEquals(sender.account().id(), event.getString("accountId"));
        JsonObject payload = event.getJsonObject("payload");
        assertEquals(List.of("messageId", "waMessageId", "phoneNumberId", "to", "type", "text", "timestamp"),
                keys(payload));
        assertEquals(messageId, payload.getString("messageId"));
        assertEquals(wamid, payload.getString("waMessageId"));
        assertEquals(sender.phoneNumberId(), payload.getString("phoneNumberId"));
        assertEquals("+16505551234", payload.getString("to"));
        assertEquals("text", payload.getString("type"));
        assertEquals("Tracking: https://example.com/t/8812", payload.getString("text"));
        long timestamp = payload.getJsonNumber("timestamp").longValue();
        assertTrue(timestamp >= before && timestamp <= after, "timestamp " + timestamp);
        assertEquals(timestamp, event.getJsonNumber("occurredAt").longValue());
        assertEquals(0, sender.events("message.outbound.failed").size());
    }

    @Test
    void aTemplateMessageIsSentInMetasFormat() throws Exception {
        Sender sender = sender();
        String wamid = newWamid();
        graph.answer(sender.phoneNumberId(), Answer.json(200, FakeGraphApi.successWith(wamid)));
        String components = "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"8812\"}]}]";

        Api.Reply reply = sender.send("{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"template\","
                + "\"template\":{\"name\":\"order_update\",\"language\":\"en_US\",\"components\":" + components + "}}");

        assertEquals(201, reply.status(), reply.body());
        assertEquals(json("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"16505551234\","
                        + "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{\"code\":\"en_US\"},"
                        + "\"components\":" + components + "}}"),
                json(graph.received(sender.phoneNumberId()).get(0).body()));
        JsonObject payload = sender.events("message.outbound.sent").getJsonObject(0).getJsonObject("payload");
        assertEquals("template", payload.getString("type"));
        assertFalse(payload.containsKey("text"), "text only for text messages");
        assertEquals(wamid, payload.getString("waMessageId"));
        assertEquals("sent", stored(reply.json().getString("messageId")).get(0));
    }

    @ParameterizedTest(name = "Meta answers {0} with code {1}")
    @CsvSource(delimiter = '|', value = {
            "429|130429|send-error-rate-limit.json|Rate limit hit|(#130429) Rate limit hit|too many messages sent from this phone number",
            "400|131047||Re-engagement message|(#131047) Re-engagement message|more than 24 hours have passed",
            "401|190|send-error-token-expired.json|OAuthException|Error validating access token: Session has expired|",
    })
    void aRefusalIsStoredAsFailedAnswered502AndEmitted(int httpStatus, int code, String fixture, String title,
                                                       String messageStart, String detailsPart) throws Exception {
        Sender sender = sender();
        String metaBody = fixture == null ? FakeGraphApi.REENGAGEMENT_ERROR : FakeGraphApi.fixture(fixture);
        graph.answer(sender.phoneNumberId(), Answer.json(httpStatus, metaBody));
        JsonObject metaError = json(metaBody).getJsonObject("error");

        Api.Reply reply = sender.send(TEXT);

        assertEquals(502, reply.status(), reply.body());
        JsonObject body = reply.json();
        assertEquals("WhatsApp Cloud API refused the message", body.getString("error"));
        assertFalse(body.getJsonArray("details").isEmpty());
        assertEquals(metaError.getString("message"), body.getJsonArray("details").getString(0));
        assertEquals("failed", body.getString("status"));
        String messageId = body.getString("messageId");
        JsonObject error = body.getJsonObject("metaError");
        assertEquals(code, error.getInt("code"));
        assertEquals(title, error.getString("title"));
        assertEquals(metaError.getString("message"), error.getString("message"));
        assertTrue(error.getString("message").startsWith(messageStart), error.toString());
        if (detailsPart == null) {
            assertEquals(JsonValue.NULL, error.get("details"));
        } else {
            assertTrue(error.getString("details").contains(detailsPart), error.toString());
        }
        assertEquals(1, graph.received(sender.phoneNumberId()).size(), "never retried");

        List<String> row = stored(messageId);
        assertEquals("failed", row.get(0));
        assertNull(row.get(1), "no WhatsApp id");
        assertTrue(row.get(6).startsWith(code + " " + title + ": "), row.get(6));

        assertEquals(0, sender.events("message.outbound.sent").size());
        JsonArray events = sender.events("message.outbound.failed");
        assertEquals(1, events.size(), events.toString());
        JsonObject payload = events.getJsonObject(0).getJsonObject("payload");
        assertEquals(List.of("messageId", "phoneNumberId", "to", "type", "error", "timestamp"), keys(payload));
        assertEquals(messageId, payload.getString("messageId"));
        assertEquals(sender.phoneNumberId(), payload.getString("phoneNumberId"));
        assertEquals("+" + CUSTOMER, payload.getString("to"));
        assertEquals("text", payload.getString("type"));
        JsonObject emitted = payload.getJsonObject("error");
        assertEquals(code, emitted.getInt("code"));
        assertEquals(title, emitted.getString("title"));
        assertEquals(metaError.getString("message"), emitted.getString("message"));
        if (detailsPart == null) {
            assertFalse(emitted.containsKey("details"));
        } else {
            assertEquals(metaError.getJsonObject("error_data").getString("details"), emitted.getString("details"));
        }
        assertFalse(reply.body().contains(sender.token()), "the access token is never echoed");
        assertFalse(events.toString().contains(sender.token()));
        assertFalse(TestAccounts.serverLogs().contains(sender.token()), "nor logged");
    }

    @Test
    void aHangingCloudApiTimesOutWithin504() throws Exception {
        Sender sender = sender();
        graph.answer(sender.phoneNumberId(), Answer.hang());
        long start = System.nanoTime();

        Api.Reply reply = sender.send(TEXT);

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, reply.status(), reply.body());
        assertTrue(elapsedMs >= META_TIMEOUT_MS - 100 && elapsedMs < META_TIMEOUT_MS + 3_000,
                "answered after " + elapsedMs + " ms with a timeout of " + META_TIMEOUT_MS);
        JsonObject body = reply.json();
        assertEquals("WhatsApp Cloud API did not answer in time", body.getString("error"));
        assertEquals(JsonValue.NULL, body.getJsonObject("metaError").get("code"));
        assertEquals("timeout", body.getJsonObject("metaError").getString("title"));
        assertEquals("failed", stored(body.getString("messageId")).get(0));
        JsonObject error = sender.events("message.outbound.failed").getJsonObject(0).getJsonObject("payload")
                .getJsonObject("error");
        assertEquals(JsonValue.NULL, error.get("code"));
        assertEquals("timeout", error.getString("title"));
        assertTrue(error.getString("message").contains(META_TIMEOUT_MS + " ms"), error.toString());
    }

    @Test
    void aDroppedConnectionIsUnreachable502() throws Exception {
        Sender sender = sender();
        graph.answer(sender.phoneNumberId(), Answer.drop());

        Api.Reply reply = sender.send(TEXT);

        assertEquals(502, reply.status(), reply.body());
        assertEquals("WhatsApp Cloud API could not be reached", reply.json().getString("error"));
        assertEquals("unreachable", reply.json().getJsonObject("metaError").getString("title"));
        assertEquals(1, graph.received(sender.phoneNumberId()).size(), "never retried");
        assertEquals("unreachable",
                sender.events("message.outbound.failed").getJsonObject(0).getJsonObject("payload")
                        .getJsonObject("error").getString("title"));
    }

    @Test
    void anAnswerThatIsNotMetasJsonIsARefusalNamedByItsStatus() throws Exception {
        Sender sender = sender();
        graph.answer(sender.phoneNumberId(), Answer.json(503, "<html>Service Unavailable</html>"));

        Api.Reply reply = sender.send(TEXT);

        assertEquals(502, reply.status(), reply.body());
        assertEquals("HTTP 503", reply.json().getJsonObject("metaError").getString("title"));
        assertEquals("failed", stored(reply.json().getString("messageId")).get(0));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"phoneNumberId\":\"PHONE\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}|to: is required",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"call me maybe\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}|to: must be",
            "{\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}|phoneNumberId: is required",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"image\"}|type: must be text or template",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\"}|type: is required",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"text\"}|text: is required for type text",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"text\",\"text\":\"hi\"}|text: must be an object",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\" \"}}|text.body: must not be empty",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"hi\",\"previewUrl\":\"yes\"}}|text.previewUrl: must be true or false",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"template\"}|template: is required for type template",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\"}}|template.language: is required",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"template\",\"template\":{\"language\":\"en_US\"}}|template.name: is required",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"template\",\"template\":{\"name\":\"x\",\"language\":\"en_US\",\"components\":{}}}|template.components: must be an array",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"hi\"},\"context\":{}}|context.messageId: is required",
            "{\"phoneNumberId\":\"PHONE\",\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"hi\"},\"colour\":\"red\"}|colour: unknown field",
            "{\"phoneNumberId\":\"999\",\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}|phoneNumberId: not a number of this account",
    })
    void invalidMessagesAreRefusedWithTheFieldNamedAndNothingIsSent(String body, String expectedDetail) {
        Sender sender = sender();
        graph.answer(sender.phoneNumberId(), Answer.json(200, FakeGraphApi.successWith(newWamid())));

        Api.Reply reply = sender.send(body);

        assertEquals(400, reply.status(), reply.body());
        assertEquals("invalid message", reply.json().getString("error"));
        String details = reply.json().getJsonArray("details").toString();
        assertTrue(details.contains(expectedDetail), details);
        assertNothingSent(sender);
    }

    @Test
    void aNumberOfAnotherAccountIsRefused() {
        Sender mine = sender();
        Sender theirs = sender();
        graph.answer(theirs.phoneNumberId(), Answer.json(200, FakeGraphApi.successWith(newWamid())));

        Api.Reply reply = mine.send(TEXT.replace("PHONE", theirs.phoneNumberId()));

        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.json().getJsonArray("details").getString(0)
                .startsWith("phoneNumberId: not a number of this account"), reply.body());
        assertNothingSent(theirs);
        assertNothingSent(mine);
    }

    @Test
    void aNumberWithoutAnAccessTokenIsRefused() {
        TestAccount account = TestAccounts.create();
        String phone = TestAccounts.newPhoneNumberId();
        // Only the operator registers a number without a token.
        Api.Reply registered = Api.post(account.path("/numbers"), Api.ADMIN_TOKEN,
                "{\"phoneNumberId\":\"" + phone + "\",\"displayPhoneNumber\":\"+15550783881\"}");
        assertEquals(201, registered.status(), registered.body());
        Sender sender = new Sender(account, phone);
        graph.answer(phone, Answer.json(200, FakeGraphApi.successWith(newWamid())));

        Api.Reply reply = sender.send(TEXT);

        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.json().getJsonArray("details").getString(0)
                .startsWith("phoneNumberId: this number has no stored Cloud API access token"), reply.body());
        assertNothingSent(sender);
    }

    @Test
    void tenancy() {
        Sender mine = sender();
        Sender theirs = sender();
        graph.answer(theirs.phoneNumberId(), Answer.json(200, FakeGraphApi.successWith(newWamid())));
        String body = TEXT.replace("PHONE", theirs.phoneNumberId());

        assertEquals(404, Api.post(theirs.account().path("/messages"), mine.account().apiKey(), body).status());
        assertEquals(401, Api.post(theirs.account().path("/messages"), null, body).status());
        assertEquals(401, Api.post(theirs.account().path("/messages"), "pons_nope", body).status());
        assertNothingSent(theirs);
    }

    @Test
    void metasStatusWebhooksUpdateTheSentMessage() throws Exception {
        Sender sender = sender();
        String wamid = newWamid();
        graph.answer(sender.phoneNumberId(), Answer.json(200, FakeGraphApi.successWith(wamid)));
        Api.Reply sent = sender.send(TEXT);
        assertEquals(201, sent.status(), sent.body());
        String messageId = sent.json().getString("messageId");

        String webhook = FakeGraphApi.fixture("status-read.json")
                .replace("106540352242922", sender.phoneNumberId())
                .replace("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIwRURGRUNEQUYyNjI4MzM5RDQA", wamid);
        byte[] raw = webhook.getBytes(StandardCharsets.UTF_8);
        Api.Reply received = Api.send(Api.request("/webhooks/meta")
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + hmac(raw))
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw))
                .build());
        assertEquals(200, received.status(), received.body());

        Api.await("outbound message " + messageId + " marked read", Duration.ofSeconds(20), () -> {
            try {
                return "read".equals(stored(messageId).get(0));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(wamid, stored(messageId).get(1));
    }

    @Test
    void theSendApiIsDocumentedWithExamples() {
        Api.Reply reply = Api.get("/openapi", null);
        assertEquals(200, reply.status());
        for (String expected : new String[] {"/api/v1/accounts/{accountId}/messages", "order_update",
                "Rate limit hit", "\"504\""}) {
            assertTrue(reply.body().contains(expected), expected + " documented");
        }
    }

    private static void assertNothingSent(Sender sender) {
        assertEquals(List.of(), graph.received(sender.phoneNumberId()), "nothing reached the Cloud API");
        assertEquals(0, sender.events("message.outbound.sent").size());
        assertEquals(0, sender.events("message.outbound.failed").size());
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
