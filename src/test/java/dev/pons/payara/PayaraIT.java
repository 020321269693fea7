package dev.pons.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.ArtemisManagement;
import dev.pons.it.Meta;
import dev.pons.it.MetricsEndpoint;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;
import dev.pons.it.Verifier;

/**
 * The same WAR on Payara Micro, on PostgreSQL and ActiveMQ Artemis through its resource adapter
 * ({@code mvn verify -Pprod-topology,payara}): the build starts it with {@code deploy/payara/run.sh} on a database
 * and queues of its own, and these black-box tests talk to its port ({@code pons.it.baseUrl}) and read its database
 * ({@code pons.it.dbUrl}) only.
 */
class PayaraIT {

    @Test
    void readyOnPayaraWithDatabaseAndBroker() throws Exception {
        Api.Reply ready = Api.get("/health/ready", null);
        assertEquals(200, ready.status(), ready.body());
        JsonObject check = ready.json().getJsonArray("checks").getJsonObject(0);
        assertEquals("pons", check.getString("name"));
        assertEquals(Json.createObjectBuilder().add("schema", "migrated").add("database", "up").add("broker", "up").build(),
                check.getJsonObject("data"));
        // Really Payara (not the Liberty server of the same build), with Hibernate (not Payara's EclipseLink).
        String log = payaraLog();
        assertTrue(log.contains("Payara Micro"), "the server is Payara Micro");
        assertTrue(log.contains("HHH000"), "Hibernate ORM runs the persistence unit");
        assertFalse(log.contains("NoJtaPlatform"), "Hibernate joins Payara's JTA transactions");
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement("SELECT current_database(), count(*) FROM flyway_schema_history");
             ResultSet row = query.executeQuery()) {
            assertTrue(row.next());
            assertEquals("pons_payara", row.getString(1), "Payara has a database of its own");
            assertTrue(row.getInt(2) >= 3, "Flyway migrated it from the WAR");
        }
    }

    /** Payara mounts /metrics inside the application, where MetricsGuard asks for the metrics user's password. */
    @Test
    void applicationMetricsAreServedWithCredentialsOnly() {
        assertEquals(401, MetricsEndpoint.send(MetricsEndpoint.request(MetricsEndpoint.BASE, "application").build()).status());
        assertEquals(401, MetricsEndpoint.send(MetricsEndpoint.request(MetricsEndpoint.BASE, "application")
                .header("Authorization", MetricsEndpoint.basic(MetricsEndpoint.USER, "wrong")).build()).status());
        Api.Reply metrics = MetricsEndpoint.scrape("application");
        assertEquals(200, metrics.status(), metrics.body());
        assertTrue(metrics.body().contains("pons_deliveries_pending"), metrics.body());
    }

    /**
     * A signed Meta webhook in, a signed delivery out: the first attempt gets a 500, the retry (same delivery id and
     * bytes, attempt 2) a 200. Ingest, fan-out and both attempts go through Artemis queues and XA transactions
     * with PostgreSQL on Payara.
     */
    @Test
    void metaWebhookIsForwardedSignedAndRetriedAfterA500() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Receiver receiver = Receiver.answering(request ->
                Receiver.Answer.status(calls.incrementAndGet() == 1 ? 500 : 200))) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"name\":\"payara\",\"url\":\""
                    + receiver.url() + "\",\"events\":[\"message.inbound.received\"],\"maxAttempts\":3,"
                    + "\"initialBackoffMs\":500,\"maxBackoffMs\":60000}");
            assertEquals(201, created.status(), created.body());
            String secret = created.json().getString("signingSecret");

            String body = Meta.fresh("inbound-text.json", number);
            Api.Reply accepted = Meta.post(body);
            assertEquals(200, accepted.status(), accepted.body());

            Api.await("a failed attempt and its retry", Duration.ofSeconds(60), () -> receiver.requests().size() >= 2);
            List<Receiver.Request> attempts = receiver.requests();
            Receiver.Request first = attempts.get(0);
            Receiver.Request second = attempts.get(1);
            assertEquals("1", first.header("X-Pons-Attempt"));
            assertEquals("2", second.header("X-Pons-Attempt"));
            assertEquals(first.header("X-Pons-Delivery-Id"), second.header("X-Pons-Delivery-Id"));
            assertEquals(new String(first.body(), StandardCharsets.UTF_8), new String(second.body(), StandardCharsets.UTF_8),
                    "every attempt sends the same bytes");
            for (Receiver.Request attempt : attempts) {
                assertTrue(Verifier.verifies(secret, attempt), "signature verifies independently");
                assertEquals("message.inbound.received", attempt.header("X-Pons-Event-Type"));
            }
            JsonObject envelope = Json.createReader(new StringReader(new String(second.body(), StandardCharsets.UTF_8)))
                    .readObject();
            assertEquals(account.id(), envelope.getString("accountId"));
            assertEquals(envelope.getString("id"), second.header("X-Pons-Event-Id"));
            assertTrue(envelope.getJsonObject("payload").toString().contains(number), envelope.toString());

            String deliveryId = first.header("X-Pons-Delivery-Id");
            Api.await("delivery succeeded", Duration.ofSeconds(15), () -> "succeeded".equals(
                    Api.get(account.path("/deliveries/" + deliveryId), account.apiKey()).json().getString("status")));
            JsonObject delivery = Api.get(account.path("/deliveries/" + deliveryId), account.apiKey()).json();
            assertEquals(2, delivery.getInt("attemptCount"));
            assertEquals(500, delivery.getJsonArray("attempts").getJsonObject(0).getInt("statusCode"));
            assertEquals(200, delivery.getJsonArray("attempts").getJsonObject(1).getInt("statusCode"));
            Thread.sleep(1_000);
            assertEquals(2, receiver.requests().size(), "nothing after the success");

            try (Connection db = TestAccounts.database();
                 PreparedStatement query = db.prepareStatement("SELECT status, attempt_count FROM delivery WHERE id = ?")) {
                query.setString(1, deliveryId);
                try (ResultSet row = query.executeQuery()) {
                    assertTrue(row.next(), "the delivery is in Payara's database");
                    assertEquals("succeeded", row.getString(1));
                    assertEquals(2, row.getInt(2));
                }
            }
        }
    }

    /**
     * A JMS target on Payara: the operator's {@code example} destination (post-boot-commands.asadmin's example queue,
     * named by the PONS_JMS_TARGETS_EXAMPLE_* variables) granted, a target on it, and a Meta webhook's event published
     * through the targets' connection factory, whose transacted sends outside JTA the adapter allows. A consumer of
     * the broker's own reads it once from PonsExampleTarget: the stored envelope, signed with the target's secret.
     */
    @Test
    void anEventIsPublishedToAJmsTargetOnArtemisSigned() throws Exception {
        TestAccount account = TestAccounts.create();
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        Api.Reply granted = Api.post(account.path("/jms-destinations"), Api.ADMIN_TOKEN, "{\"name\":\"example\"}");
        assertEquals(201, granted.status(), granted.body());
        assertEquals("queue", granted.json().getString("kind"));
        Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"type\":\"jms\",\"destination\":\"example\",\"events\":[\"message.inbound.received\"]}");
        assertEquals(201, created.status(), created.body());
        String secret = created.json().getString("signingSecret");
        String deliveries = account.path("/webhook-targets/" + created.json().getString("id") + "/deliveries");

        Api.Reply accepted = Meta.post(Meta.fresh("inbound-text.json", number));
        assertEquals(200, accepted.status(), accepted.body());
        Api.await("the JMS target's first attempt", Duration.ofSeconds(60), () -> {
            JsonArray items = Api.get(deliveries, account.apiKey()).json().getJsonArray("items");
            return items.size() == 1 && items.getJsonObject(0).getInt("attemptCount") >= 1;
        });
        String deliveryId = Api.get(deliveries, account.apiKey()).json().getJsonArray("items").getJsonObject(0).getString("id");
        JsonObject delivery = Api.get(account.path("/deliveries/" + deliveryId), account.apiKey()).json();
        // A failed send says why in its attempt (e.g. the adapter refusing a transacted session outside JTA).
        assertEquals("succeeded", delivery.getString("status"), delivery.toString());
        assertEquals("committed to example", delivery.getJsonArray("attempts").getJsonObject(0).getString("responseSnippet"),
                delivery.toString());

        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(ArtemisManagement.URL);
             JMSContext jms = factory.createContext(System.getProperty("pons.it.artemisUser"),
                     System.getProperty("pons.it.artemisPassword"));
             JMSConsumer consumer = jms.createConsumer(jms.createQueue("PonsExampleTarget"),
                     "JMSCorrelationID = '" + deliveryId + "'")) {
            Message message = consumer.receive(10_000);
            assertNotNull(message, "delivery " + deliveryId + " is on the broker's queue");
            String body = ((TextMessage) message).getText();
            assertEquals(TestAccounts.storedEventBody(delivery.getString("eventId")), body, "the stored envelope");
            assertTrue(body.contains(number), body);
            assertEquals(deliveryId, message.getStringProperty("PonsDeliveryId"));
            assertEquals(delivery.getString("eventId"), message.getStringProperty("PonsEventId"));
            assertEquals("message.inbound.received", message.getStringProperty("PonsEventType"));
            assertEquals("1", message.getStringProperty("PonsAttempt"));
            assertEquals(Verifier.expected(secret, message.getStringProperty("PonsTimestamp"),
                    body.getBytes(StandardCharsets.UTF_8)), message.getStringProperty("PonsSignature"),
                    "the signature verifies with the target's secret");
            assertNull(consumer.receive(300), "delivery " + deliveryId + " was sent once");
        }
    }

    private static String payaraLog() throws Exception {
        Path log = Path.of(System.getProperty("pons.it.payaraLog", "target/payara/payara-it.log"));
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }
}
