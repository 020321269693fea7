package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pons.it.Api;
import dev.pons.it.Meta;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;
import dev.pons.it.Verifier;

/** The signed delivery pipeline on the real server, against real receivers on loopback. */
class DeliveryIT {

    static final List<String> ALL_EVENTS = List.of("message.inbound.received", "message.status.updated",
            "message.outbound.sent", "message.outbound.failed");

    record Target(String id, String secret) {
    }

    static Target target(TestAccount account, String url, String extraJson) {
        String body = "{\"name\":\"it\",\"url\":\"" + url + "\",\"events\":[\"message.inbound.received\","
                + "\"message.status.updated\"]" + (extraJson.isEmpty() ? "" : "," + extraJson) + "}";
        Api.Reply reply = Api.post(account.path("/webhook-targets"), account.apiKey(), body);
        assertEquals(201, reply.status(), reply.body());
        return new Target(reply.json().getString("id"), reply.json().getString("signingSecret"));
    }

    static JsonObject json(byte[] body) {
        return Json.createReader(new StringReader(new String(body, java.nio.charset.StandardCharsets.UTF_8))).readObject();
    }

    static JsonArray deliveries(TestAccount account, String targetId, String query) {
        Api.Reply reply = Api.get(account.path("/webhook-targets/" + targetId + "/deliveries" + query), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("items");
    }

    static JsonObject delivery(TestAccount account, String deliveryId) {
        Api.Reply reply = Api.get(account.path("/deliveries/" + deliveryId), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    @Test
    void inboundMessageArrivesSignedWithEveryHeader() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            Target target = target(account, receiver.url(), "");
            assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            assertEquals(200, Meta.post(Meta.fresh("status-read.json", number)).status());

            Api.await("2 deliveries", Duration.ofSeconds(15), () -> receiver.requests().size() >= 2);
            for (Receiver.Request request : receiver.requests()) {
                JsonObject envelope = json(request.body());
                assertEquals(List.of("id", "type", "source", "occurredAt", "accountId", "payload"),
                        List.copyOf(envelope.keySet()), "envelope fields in documented order");
                assertEquals(envelope.getString("id"), request.header("X-Pons-Event-Id"));
                assertEquals(envelope.getString("type"), request.header("X-Pons-Event-Type"));
                assertEquals("1", request.header("X-Pons-Attempt"));
                assertTrue(request.header("X-Pons-Delivery-Id").startsWith("dlv_"));
                long timestamp = Long.parseLong(request.header("X-Pons-Timestamp"));
                assertTrue(Math.abs(System.currentTimeMillis() - timestamp) < 60_000, "epoch milliseconds");
                assertTrue(Verifier.verifies(target.secret(), request), "signature verifies independently");
                assertTrue(request.header("X-Pons-Signature").matches("[0-9a-f]{64}"));
                assertNull(request.header("X-Pons-Signature-Previous"));
                assertEquals(request.header("X-Pons-Delivery-Id"), request.header("webhook-id"));
                assertEquals(String.valueOf(Math.floorDiv(timestamp, 1000)), request.header("webhook-timestamp"),
                        "the same instant in epoch seconds");
                assertTrue(request.header("webhook-signature").matches("v1,[A-Za-z0-9+/]{43}="),
                        request.header("webhook-signature"));
                assertTrue(Verifier.verifiesStandard(target.secret(), request), "the official library verifies it");
                assertEquals("application/json", request.header("Content-Type"));
                assertTrue(request.header("User-Agent").startsWith("pons-webhook-forwarder/"));
                assertEquals(account.id(), envelope.getString("accountId"));

                // The bytes sent are the stored envelope.
                JsonObject stored = Api.get(account.path("/events/" + envelope.getString("id")), account.apiKey()).json();
                assertEquals(envelope, Json.createObjectBuilder(stored).remove("createdAt").build());
            }
            Set<String> types = receiver.requests().stream().map(r -> r.header("X-Pons-Event-Type")).collect(Collectors.toSet());
            assertEquals(Set.of("message.inbound.received", "message.status.updated"), types);

            String deliveryId = receiver.requests().get(0).header("X-Pons-Delivery-Id");
            Api.await("delivery succeeded", Duration.ofSeconds(10),
                    () -> delivery(account, deliveryId).getString("status").equals("succeeded"));
            JsonObject done = delivery(account, deliveryId);
            assertEquals(1, done.getInt("attemptCount"));
            assertEquals(200, done.getInt("lastStatusCode"));
            JsonObject attempt = done.getJsonArray("attempts").getJsonObject(0);
            assertEquals(1, attempt.getInt("number"));
            assertEquals(200, attempt.getInt("statusCode"));
            assertEquals("{\"ok\":true}", attempt.getString("responseSnippet"));
            JsonObject health = Api.get(account.path("/webhook-targets/" + target.id()), account.apiKey()).json();
            assertEquals(0, health.getInt("consecutiveFailures"));
            assertNotNull(health.getJsonNumber("lastSuccessAt"));
        }
    }

    @Test
    void outboundEventsArriveSignedToo() throws Exception {
        try (Receiver receiver = Receiver.answering(200); dev.pons.it.FakeGraphApi graph = dev.pons.it.FakeGraphApi.start()) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\"" + receiver.url()
                    + "\",\"events\":[\"message.outbound.sent\",\"message.outbound.failed\"]}");
            String secret = created.json().getString("signingSecret");
            String message = "{\"phoneNumberId\":\"" + number + "\",\"to\":\"16505551234\",\"type\":\"text\","
                    + "\"text\":{\"body\":\"Your order shipped\"}}";
            graph.answer(number, dev.pons.it.FakeGraphApi.Answer.json(200,
                    dev.pons.it.FakeGraphApi.successWith("wamid." + java.util.UUID.randomUUID())));
            assertEquals(201, Api.post(account.path("/messages"), account.apiKey(), message).status());
            graph.answer(number, dev.pons.it.FakeGraphApi.Answer.json(400, dev.pons.it.FakeGraphApi.REENGAGEMENT_ERROR));
            assertEquals(502, Api.post(account.path("/messages"), account.apiKey(), message).status());

            Api.await("both outbound events delivered", Duration.ofSeconds(15), () -> receiver.requests().size() >= 2);
            Set<String> types = receiver.requests().stream().map(r -> r.header("X-Pons-Event-Type")).collect(Collectors.toSet());
            assertEquals(Set.of("message.outbound.sent", "message.outbound.failed"), types);
            for (Receiver.Request request : receiver.requests()) {
                assertTrue(Verifier.verifies(secret, request));
                JsonObject envelope = json(request.body());
                assertEquals("pons_send", envelope.getString("source"));
                assertEquals(request.header("X-Pons-Event-Id"), envelope.getString("id"));
            }
        }
    }

    @Test
    void targetsOnlyGetWhatTheySubscribeTo() throws Exception {
        try (Receiver statuses = Receiver.answering(200); Receiver other = Receiver.answering(200);
             Receiver disabled = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            String otherNumber = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\"" + statuses.url()
                    + "\",\"events\":[\"message.status.updated\"]}");
            Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\"" + other.url()
                    + "\",\"events\":[\"message.inbound.received\"],\"phoneNumberIds\":[\"" + otherNumber + "\"]}");
            Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\"" + disabled.url()
                    + "\",\"events\":[\"message.inbound.received\"],\"enabled\":false}");
            assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            assertEquals(200, Meta.post(Meta.fresh("status-sent.json", number)).status());
            Api.await("status delivered", Duration.ofSeconds(15), () -> statuses.requests().size() == 1);
            Thread.sleep(1500);
            assertEquals("message.status.updated", statuses.requests().get(0).header("X-Pons-Event-Type"));
            assertEquals(0, other.requests().size(), "limited to another number");
            assertEquals(0, disabled.requests().size(), "disabled");
        }
    }

    @Test
    void anAnswerWithControlCharactersIsStoredWithoutThem() throws Exception {
        // PostgreSQL refuses a NUL in text: an outcome that could not be stored would be sent forever.
        try (Receiver receiver = Receiver.answering(request -> new Receiver.Answer(500,
                "bad\u0000answer\u0001 line\nend", Map.of(), false))) {
            TestAccount account = TestAccounts.create();
            Target target = target(account, receiver.url(), "\"maxAttempts\":1");
            Api.Reply test = Api.post(account.path("/webhook-targets/" + target.id() + "/test"), account.apiKey(), "{}");
            assertEquals(200, test.status(), test.body());
            JsonObject delivery = delivery(account, test.json().getString("deliveryId"));
            assertEquals("failed", delivery.getString("status"), delivery.toString());
            assertEquals("badanswer line\nend",
                    delivery.getJsonArray("attempts").getJsonObject(0).getString("responseSnippet"));
        }
    }

    @ParameterizedTest(name = "HTTP {0} is a failed attempt")
    @ValueSource(ints = {201, 204, 302, 400, 500})
    void onlyHttp200Succeeds(int status) throws Exception {
        try (Receiver receiver = Receiver.answering(request -> new Receiver.Answer(status,
                status == 204 ? null : "nope " + status, status == 302 ? Map.of("Location", "http://127.0.0.1:1/") : Map.of(),
                false))) {
            TestAccount account = TestAccounts.create();
            Target target = target(account, receiver.url(), "\"maxAttempts\":1");
            Api.Reply test = Api.post(account.path("/webhook-targets/" + target.id() + "/test"), account.apiKey(), "{}");
            assertEquals(200, test.status(), test.body());
            JsonObject outcome = test.json();
            assertFalse(outcome.getBoolean("succeeded"));
            assertEquals(status, outcome.getJsonObject("attempt").getInt("statusCode"));
            assertEquals("failed", outcome.getJsonObject("delivery").getString("status"));
            assertEquals(1, receiver.requests().size(), "redirects are not followed");
            assertTrue(Verifier.verifies(target.secret(), receiver.requests().get(0)));
        }
    }

    @Test
    void timeoutRefusedAndResetAreFailedAttempts() throws Exception {
        TestAccount account = TestAccounts.create();
        try (Receiver hanging = Receiver.answering(request -> Receiver.Answer.never())) {
            Target target = target(account, hanging.url(), "\"maxAttempts\":1,\"timeoutMs\":1000");
            long start = System.currentTimeMillis();
            JsonObject outcome = Api.post(account.path("/webhook-targets/" + target.id() + "/test"), account.apiKey(), "{}").json();
            assertTrue(System.currentTimeMillis() - start < 5_000, "bounded by the target's timeout");
            assertTrue(outcome.getJsonObject("attempt").getString("error").startsWith("timeout"), outcome.toString());
            assertTrue(outcome.getJsonObject("attempt").isNull("statusCode"));
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Target refused = target(account, "http://127.0.0.1:" + closedPort + "/hook", "\"maxAttempts\":1");
        JsonObject refusedOutcome = Api.post(account.path("/webhook-targets/" + refused.id() + "/test"), account.apiKey(), "{}").json();
        assertEquals("connection refused", refusedOutcome.getJsonObject("attempt").getString("error"));

        try (ServerSocket resetting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!resetting.isClosed()) {
                        Socket client = resetting.accept();
                        client.getInputStream().read(new byte[256]);
                        client.setSoLinger(true, 0);
                        client.close();
                    }
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.start();
            Target reset = target(account, "http://127.0.0.1:" + resetting.getLocalPort() + "/hook", "\"maxAttempts\":1");
            JsonObject resetOutcome = Api.post(account.path("/webhook-targets/" + reset.id() + "/test"), account.apiKey(), "{}").json();
            assertFalse(resetOutcome.getBoolean("succeeded"));
            assertTrue(resetOutcome.getJsonObject("attempt").getString("error").startsWith("connection failed"),
                    resetOutcome.toString());
        }
    }

    @Test
    void retriesBackOffExponentiallyWithTheSameDeliveryIdAndBody() throws Exception {
        try (Receiver receiver = Receiver.answering(500)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            Target target = target(account, receiver.url(), "\"maxAttempts\":4,\"initialBackoffMs\":1000,\"maxBackoffMs\":60000");
            assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            Api.await("4 attempts", Duration.ofSeconds(30), () -> receiver.requests().size() >= 4);
            Thread.sleep(2_000);
            List<Receiver.Request> attempts = receiver.requests();
            assertEquals(4, attempts.size(), "stops at maxAttempts");
            for (int i = 0; i < 4; i++) {
                Receiver.Request attempt = attempts.get(i);
                if (i > 0) {
                    // delay(n) = initialBackoff * 2^(n-1) + jitter(0..1 s): 1, 2, 4 s between attempts.
                    long gap = attempt.receivedAt() - attempts.get(i - 1).receivedAt();
                    long base = 1_000L << (i - 1);
                    assertTrue(gap >= base - 50 && gap <= base + 1_000 + 700,
                            "attempt " + (i + 1) + " came " + gap + " ms after the previous, expected " + base + " + jitter");
                }
                assertEquals(String.valueOf(i + 1), attempt.header("X-Pons-Attempt"));
                assertEquals(attempts.get(0).header("X-Pons-Delivery-Id"), attempt.header("X-Pons-Delivery-Id"));
                assertEquals(new String(attempts.get(0).body()), new String(attempt.body()));
                assertTrue(Verifier.verifies(target.secret(), attempt));
                if (i > 0) {
                    assertNotEquals(attempts.get(i - 1).header("X-Pons-Timestamp"), attempt.header("X-Pons-Timestamp"));
                    assertNotEquals(attempts.get(i - 1).header("X-Pons-Signature"), attempt.header("X-Pons-Signature"));
                }
            }
            String deliveryId = attempts.get(0).header("X-Pons-Delivery-Id");
            Api.await("delivery failed", Duration.ofSeconds(5),
                    () -> delivery(account, deliveryId).getString("status").equals("failed"));
            JsonObject failed = delivery(account, deliveryId);
            assertEquals(4, failed.getJsonArray("attempts").size());
            assertEquals(500, failed.getInt("lastStatusCode"));
            JsonObject health = Api.get(account.path("/webhook-targets/" + target.id()), account.apiKey()).json();
            assertEquals(4, health.getInt("consecutiveFailures"));
            assertTrue(health.getString("lastError").contains("500"));

            // Retry: a new attempt series with the same delivery id; the receiver now accepts.
            receiver.answer(request -> Receiver.Answer.status(200));
            Api.Reply retry = Api.post(account.path("/deliveries/" + deliveryId + "/retry"), account.apiKey(), null);
            assertEquals(202, retry.status(), retry.body());
            Api.await("retried", Duration.ofSeconds(15),
                    () -> delivery(account, deliveryId).getString("status").equals("succeeded"));
            Receiver.Request retried = receiver.requests().get(4);
            assertEquals(deliveryId, retried.header("X-Pons-Delivery-Id"));
            assertEquals("1", retried.header("X-Pons-Attempt"));
            assertEquals(5, delivery(account, deliveryId).getJsonArray("attempts").size());
        }
    }

    @Test
    void replayRedeliversWhatFailed() throws Exception {
        try (Receiver receiver = Receiver.answering(500)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            Target target = target(account, receiver.url(), "\"maxAttempts\":1");
            long since = System.currentTimeMillis() - 1;
            for (int i = 0; i < 3; i++) {
                assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            }
            Api.await("3 failed", Duration.ofSeconds(15),
                    () -> deliveries(account, target.id(), "?status=failed").size() == 3);
            receiver.answer(request -> Receiver.Answer.status(200));
            Api.Reply replay = Api.post(account.path("/webhook-targets/" + target.id() + "/replay"), account.apiKey(),
                    "{\"since\":" + since + ",\"status\":\"failed\"}");
            assertEquals(200, replay.status(), replay.body());
            assertEquals(3, replay.json().getInt("replayed"));
            Api.await("3 succeeded", Duration.ofSeconds(15),
                    () -> deliveries(account, target.id(), "?status=succeeded").size() == 3);
            assertEquals(6, receiver.requests().size());

            Api.Reply bad = Api.post(account.path("/webhook-targets/" + target.id() + "/replay"), account.apiKey(), "{}");
            assertEquals(400, bad.status());
            assertTrue(bad.body().contains("since: "), bad.body());
        }
    }

    @Test
    void deletingATargetDeletesItsDeliveriesAndTheirAttemptsOnly() throws Exception {
        try (Receiver receiver = Receiver.answering(500)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            Target deleted = target(account, receiver.url(), "\"maxAttempts\":1");
            Target kept = target(account, receiver.url(), "\"maxAttempts\":1");
            for (int i = 0; i < 2; i++) {
                assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            }
            Api.await("2 failed to each target", Duration.ofSeconds(15),
                    () -> deliveries(account, deleted.id(), "?status=failed").size() == 2
                            && deliveries(account, kept.id(), "?status=failed").size() == 2);
            List<String> gone = deliveryIds(account, deleted.id());
            List<String> staying = deliveryIds(account, kept.id());
            assertEquals(List.of(2, 2), stored(gone), "deliveries and attempts before");

            assertEquals(204, Api.send("DELETE", account.path("/webhook-targets/" + deleted.id()), account.apiKey(),
                    null).status());

            assertEquals(List.of(0, 0), stored(gone), "the deleted target's deliveries and attempts");
            assertEquals(List.of(2, 2), stored(staying), "the other target's");
            assertEquals(404, Api.get(account.path("/deliveries/" + gone.get(0)), account.apiKey()).status());
        }
    }

    private static List<String> deliveryIds(TestAccount account, String targetId) {
        return deliveries(account, targetId, "").getValuesAs(JsonObject.class).stream()
                .map(delivery -> delivery.getString("id")).toList();
    }

    /** How many of these deliveries, and how many attempts of them, the server's database holds. */
    private static List<Integer> stored(List<String> deliveryIds) throws SQLException {
        return List.of(storedRows("delivery", "id", deliveryIds),
                storedRows("delivery_attempt", "delivery_id", deliveryIds));
    }

    /** How many rows of the server's table have one of these ids in that column. */
    private static int storedRows(String table, String column, List<String> ids) throws SQLException {
        try (Connection db = TestAccounts.database();
             PreparedStatement count = db.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + column + " IN ("
                     + String.join(", ", ids.stream().map(id -> "?").toList()) + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                count.setString(i + 1, ids.get(i));
            }
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @Test
    void aHangingTargetDoesNotDelayAHealthyOne() throws Exception {
        try (Receiver hanging = Receiver.answering(request -> Receiver.Answer.never());
             Receiver healthy = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            target(account, hanging.url(), "\"timeoutMs\":10000");
            target(account, healthy.url(), "");
            int events = 30;
            long[] sentAt = new long[events];
            for (int i = 0; i < events; i++) {
                sentAt[i] = System.currentTimeMillis();
                assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            }
            Api.await("healthy target got all", Duration.ofSeconds(20), () -> healthy.requests().size() >= events);
            long worst = healthy.requests().stream().mapToLong(Receiver.Request::receivedAt).max().orElseThrow()
                    - sentAt[events - 1];
            assertTrue(worst < 3_000, "last healthy delivery " + worst + " ms after the last webhook");
            assertTrue(hanging.requests().size() <= 4 + 1, "the hanging target holds at most its in-flight cap: "
                    + hanging.requests().size());
        }
    }

    @Test
    void rotationSignsWithBothSecretsDuringTheGracePeriod() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            Target target = target(account, receiver.url(), "");
            String newSecret = Api.post(account.path("/webhook-targets/" + target.id() + "/rotate-secret"),
                    account.apiKey(), "{\"gracePeriodMs\":60000}").json().getString("signingSecret");
            assertTrue(Api.post(account.path("/webhook-targets/" + target.id() + "/test"), account.apiKey(), "{}")
                    .json().getBoolean("succeeded"));
            Receiver.Request request = receiver.requests().get(0);
            assertTrue(Verifier.verifies(newSecret, request));
            assertEquals(Verifier.expected(target.secret(), request.header("X-Pons-Timestamp"), request.body()),
                    request.header("X-Pons-Signature-Previous"));
            assertEquals(2, request.header("webhook-signature").split(" ").length, request.header("webhook-signature"));
            assertTrue(Verifier.verifiesStandard(newSecret, request), "new secret, first signature");
            assertTrue(Verifier.verifiesStandard(target.secret(), request), "previous secret, second signature");

            String newest = Api.post(account.path("/webhook-targets/" + target.id() + "/rotate-secret"),
                    account.apiKey(), "{\"gracePeriodMs\":0}").json().getString("signingSecret");
            Api.post(account.path("/webhook-targets/" + target.id() + "/test"), account.apiKey(), "{}");
            Receiver.Request after = receiver.requests().get(1);
            assertNull(after.header("X-Pons-Signature-Previous"), "grace over");
            assertEquals(1, after.header("webhook-signature").split(" ").length, after.header("webhook-signature"));
            assertTrue(Verifier.verifiesStandard(newest, after));
            assertFalse(Verifier.verifiesStandard(newSecret, after), "the replaced secret no longer verifies");
        }
    }

    @Test
    void retryAfterPushesTheNextAttempt() throws Exception {
        try (Receiver receiver = Receiver.answering(request -> new Receiver.Answer(429, "slow down",
                Map.of("Retry-After", "3"), false))) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            target(account, receiver.url(), "\"maxAttempts\":2,\"initialBackoffMs\":200,\"maxBackoffMs\":60000");
            assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            Api.await("2 attempts", Duration.ofSeconds(15), () -> receiver.requests().size() >= 2);
            long gap = receiver.requests().get(1).receivedAt() - receiver.requests().get(0).receivedAt();
            assertTrue(gap >= 3_000, "waited for Retry-After: " + gap + " ms");
        }
    }

    @Test
    void goneDisablesTheTargetAtOnce() throws Exception {
        try (Receiver receiver = Receiver.answering(410)) {
            TestAccount account = TestAccounts.create();
            Target target = target(account, receiver.url(), "");
            Api.post(account.path("/webhook-targets/" + target.id() + "/test"), account.apiKey(), "{}");
            JsonObject after = Api.get(account.path("/webhook-targets/" + target.id()), account.apiKey()).json();
            assertFalse(after.getBoolean("enabled"));
            assertTrue(after.getString("disabledReason").contains("410"), after.toString());
        }
    }

    @Test
    void deliveryCallsAreTenantScoped() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount owner = TestAccounts.create();
            TestAccount other = TestAccounts.create();
            Target target = target(owner, receiver.url(), "");
            String deliveryId = Api.post(owner.path("/webhook-targets/" + target.id() + "/test"), owner.apiKey(), "{}")
                    .json().getString("deliveryId");
            assertEquals(200, Api.get(owner.path("/deliveries/" + deliveryId), owner.apiKey()).status());
            assertEquals(404, Api.get(other.path("/deliveries/" + deliveryId), other.apiKey()).status());
            assertEquals(404, Api.get(owner.path("/deliveries/" + deliveryId), other.apiKey()).status());
            assertEquals(404, Api.post(other.path("/deliveries/" + deliveryId + "/retry"), other.apiKey(), null).status());
            assertEquals(404, Api.get(other.path("/webhook-targets/" + target.id() + "/deliveries"), other.apiKey()).status());
            assertEquals(404, Api.post(other.path("/webhook-targets/" + target.id() + "/test"), other.apiKey(), "{}").status());
            assertEquals(404, Api.post(other.path("/webhook-targets/" + target.id() + "/replay"), other.apiKey(),
                    "{\"since\":0}").status());
            assertEquals(401, Api.get(owner.path("/deliveries/" + deliveryId), null).status());
            assertEquals(1, receiver.requests().size());
            assertEquals(400, Api.get(owner.path("/webhook-targets/" + target.id() + "/deliveries?status=lost"),
                    owner.apiKey()).status());
            JsonObject stats = Api.get(owner.path("/webhook-targets/" + target.id() + "/stats"), owner.apiKey()).json();
            assertEquals(24, stats.getJsonArray("hours").size());
            JsonObject lastHour = stats.getJsonArray("hours").getJsonObject(23);
            assertEquals(1, lastHour.getInt("succeeded"));
            assertEquals(0, lastHour.getInt("failed"));
            assertTrue(lastHour.getJsonNumber("p95LatencyMs").longValue() >= 0, "the hour's p95 is the one attempt's latency");
            assertTrue(stats.getJsonArray("hours").getJsonObject(0).isNull("p95LatencyMs"), "no attempts, no p95");
        }
    }
}
