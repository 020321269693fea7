package dev.pons.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JMS target on Artemis through a broker restart: webhooks arrive at a steady rate, the broker stops for
 * ~20 s and starts again, and afterwards a consumer of the broker's own finds every accepted event on the
 * target's queue under its delivery id, with its stored envelope and a valid signature. Sends that failed
 * while the broker was away were failed attempts, retried once it was back; a send committed whose outcome
 * was lost comes twice with the same delivery id, which is what consumers deduplicate on.
 */
@ExtendWith(Topology.Extension.class)
class JmsTargetBrokerRestartIT {

    @Test
    void everyAcceptedEventReachesTheQueueUnderItsDeliveryIdThroughABrokerRestart(Topology topology) throws Exception {
        topology.ensureRunning("pons-a");
        Client pons = topology.instance("pons-a").client;
        try (MetaLoad load = new MetaLoad(pons, 0)) {
            Client.Reply grant = pons.post("/api/v1/accounts/" + load.accountId + "/jms-destinations", Topology.ADMIN_TOKEN,
                    "{\"name\":\"example\"}");
            assertEquals(201, grant.status(), grant.toString());
            Client.Reply target = pons.post("/api/v1/accounts/" + load.accountId + "/webhook-targets", load.apiKey,
                    "{\"type\":\"jms\",\"destination\":\"example\",\"events\":[\"message.inbound.received\"],"
                            + "\"maxAttempts\":20,\"timeoutMs\":2000,\"initialBackoffMs\":500,\"maxBackoffMs\":2000}");
            assertEquals(201, target.status(), target.toString());
            String targetId = target.json().getString("id");
            String secret = target.json().getString("signingSecret");

            load.start(Outage.RATE, pons);
            Topology.await("webhooks accepted before the outage", Duration.ofSeconds(180),
                    () -> load.accepted() >= Outage.RATE && succeeded(topology, targetId) > 0);
            topology.broker.stop();
            Thread.sleep(Outage.DOWN_FOR.toMillis());
            topology.broker.start();
            Topology.await("readiness UP again with the broker back", Duration.ofSeconds(90), () -> {
                Client.Reply ready = Outage.readiness(topology.instance("pons-a"));
                return ready != null && ready.status() == 200;
            });
            Thread.sleep(3_000);
            load.stop();
            int accepted = load.accepted();
            Topology.await(() -> "every accepted event's delivery succeeded: " + succeeded(topology, targetId) + " of "
                    + accepted, Duration.ofSeconds(180), () -> succeeded(topology, targetId) >= accepted);

            Map<String, String> stored = storedBodies(topology, targetId);
            assertEquals(accepted, stored.size(), "one delivery per accepted webhook; " + load.summary());
            Map<String, Integer> seen = new HashMap<>();
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + topology.broker.port);
                 JMSContext jms = factory.createContext(Topology.BROKER_USER, Topology.BROKER_PASSWORD);
                 JMSConsumer consumer = jms.createConsumer(jms.createQueue("PonsExampleTarget"))) {
                Message message;
                while ((message = consumer.receive(3_000)) != null) {
                    String id = message.getStringProperty("PonsDeliveryId");
                    String body = ((TextMessage) message).getText();
                    assertTrue(stored.containsKey(id), "a message of this target's deliveries: " + id);
                    assertEquals(stored.get(id), body, "the stored envelope of " + id);
                    assertEquals(id, message.getJMSCorrelationID());
                    assertEquals(hmac(secret, message.getStringProperty("PonsTimestamp") + "." + body),
                            message.getStringProperty("PonsSignature"), "signed with the target's secret");
                    seen.merge(id, 1, Integer::sum);
                }
            }
            assertEquals(stored.keySet(), seen.keySet(), "every accepted event is on the queue, under its delivery id");
            long duplicates = seen.values().stream().mapToInt(n -> n - 1).sum();
            System.out.printf("[JmsTargetBrokerRestartIT] broker down %d s: %d webhooks accepted, %d messages under"
                    + " %d delivery ids (%d duplicate(s), same delivery id)%n", Outage.DOWN_FOR.toSeconds(), accepted,
                    seen.size() + duplicates, seen.size(), duplicates);
        }
    }

    private static int succeeded(Topology topology, String targetId) {
        try (Connection db = database(topology);
             PreparedStatement query = db.prepareStatement(
                     "SELECT COUNT(*) FROM delivery WHERE target_id = ? AND status = 'succeeded'")) {
            query.setString(1, targetId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (Exception e) {
            return -1;
        }
    }

    private static Map<String, String> storedBodies(Topology topology, String targetId) throws Exception {
        Map<String, String> bodies = new HashMap<>();
        try (Connection db = database(topology);
             PreparedStatement query = db.prepareStatement(
                     "SELECT d.id, e.body FROM delivery d JOIN event e ON e.id = d.event_id WHERE d.target_id = ?")) {
            query.setString(1, targetId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    bodies.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return bodies;
    }

    private static Connection database(Topology topology) throws Exception {
        return DriverManager.getConnection(topology.database.url(), Topology.DB_USER, Topology.DB_PASSWORD);
    }

    private static String hmac(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
