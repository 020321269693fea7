package dev.pons.incontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pons.delivery.control.DeliveryWorker;
import dev.pons.delivery.control.Lease;

/**
 * JMS targets on the server, through the whole attempt stage (DeliveryWorker: Claims, Lanes, JmsPublisher,
 * OutcomeWriter) on the embedded messaging engine: what a consumer of the destination receives, and that a
 * send that cannot be made is a failed attempt like a failed POST. The server's configuration
 * (src/test/liberty/arquillian/jvm.options) names {@code example}, the queue jms/pons/targets/Example of
 * liberty/jms-embedded.xml, and {@code nowhere}, a JNDI name the server does not bind.
 */
@ExtendWith(ArquillianExtension.class)
class JmsDeliveryIT {

    @Deployment
    static WebArchive deployment() {
        return ControlLayer.deployment(JmsDeliveryIT.class);
    }

    @Inject
    DeliveryWorker worker;

    @Inject
    Fixtures fixtures;

    @Inject
    Rows rows;

    @Inject
    Clock clock;

    @Resource(lookup = "jms/pons/targets/ConnectionFactory")
    ConnectionFactory connectionFactory;

    @Resource(lookup = "jms/pons/targets/Example")
    Queue example;

    @Test
    void aDeliveryIsTheStoredEnvelopeSignedLikeAPostAndCorrelatedByItsDeliveryId() throws Exception {
        Fixtures.JmsTarget target = fixtures.jmsTarget("example");
        String id = dueDelivery(target);

        assertTrue(attempt(id), "the attempt is recorded");
        assertEquals("succeeded", rows.value("SELECT status FROM delivery WHERE id = ?", id),
                "a send committed to its destination is a delivered event");
        List<?> attempt = rows.list("SELECT status_code, error, response_snippet FROM delivery_attempt WHERE delivery_id = ?", id);
        assertEquals(1, attempt.size());
        Object[] columns = (Object[]) attempt.get(0);
        assertNull(columns[0], "no HTTP status for a JMS send");
        assertNull(columns[1]);
        assertEquals("committed to example", columns[2]);

        String envelope = (String) rows.value("SELECT e.body FROM event e JOIN delivery d ON d.event_id = e.id"
                + " WHERE d.id = ?", id);
        String eventId = (String) rows.value("SELECT event_id FROM delivery WHERE id = ?", id);
        try (JMSContext jms = connectionFactory.createContext();
             JMSConsumer consumer = jms.createConsumer(example, "JMSCorrelationID = '" + id + "'")) {
            Message message = consumer.receive(10_000);
            assertNotNull(message, "the message is on the destination, committed");
            TextMessage text = (TextMessage) message;
            assertEquals(envelope, text.getText(), "the body is the stored envelope, as an HTTP POST carries it");
            assertEquals(id, message.getJMSCorrelationID(), "the correlation id is the delivery id");
            assertEquals(id, message.getStringProperty("PonsDeliveryId"));
            assertEquals(eventId, message.getStringProperty("PonsEventId"));
            assertEquals("message.inbound.received", message.getStringProperty("PonsEventType"));
            assertEquals("1", message.getStringProperty("PonsAttempt"));
            String timestamp = message.getStringProperty("PonsTimestamp");
            assertTrue(Math.abs(Long.parseLong(timestamp) - clock.millis()) < 60_000, timestamp);
            assertEquals(hmac(target.signingSecret(), timestamp + "." + envelope), message.getStringProperty("PonsSignature"),
                    "PonsSignature is X-Pons-Signature: HMAC-SHA256 over <timestamp>.<body> with the signing secret");
            assertNull(consumer.receive(500), "one attempt, one message");
        }
        assertEquals(0L, rows.number("SELECT consecutive_failures FROM webhook_target WHERE id = ?",
                target.target().targetId()));
    }

    @Test
    void aSendToADestinationTheServerDoesNotBindIsAFailedAttemptThatIsRetried() throws Exception {
        Fixtures.JmsTarget target = fixtures.jmsTarget("nowhere");
        String id = dueDelivery(target);

        assertTrue(attempt(id), "the attempt is recorded");
        assertEquals("pending", rows.value("SELECT status FROM delivery WHERE id = ?", id),
                "a failed send is retried, with the target's backoff");
        assertEquals(1L, rows.number("SELECT attempt_count FROM delivery WHERE id = ?", id));
        assertNotNull(rows.value("SELECT next_attempt_at FROM delivery WHERE id = ?", id));
        String error = (String) rows.value("SELECT error FROM delivery_attempt WHERE delivery_id = ?", id);
        assertTrue(error.startsWith("destination unavailable: nowhere is not bound on this server"), error);
        assertEquals(1L, rows.number("SELECT consecutive_failures FROM webhook_target WHERE id = ?",
                target.target().targetId()), "the failure counts toward the target's circuit, as a failed POST does");
    }

    @Test
    void aDeliveryWhoseGrantWasRevokedIsAFailedAttemptAndSendsNothing() throws Exception {
        Fixtures.JmsTarget target = fixtures.jmsTarget("example");
        String id = dueDelivery(target);
        fixtures.revoke(target.target(), "example");

        assertTrue(attempt(id), "the attempt is recorded");
        String error = (String) rows.value("SELECT error FROM delivery_attempt WHERE delivery_id = ?", id);
        assertEquals("not sent: the JMS destination example is not granted to this account", error);
        try (JMSContext jms = connectionFactory.createContext();
             JMSConsumer consumer = jms.createConsumer(example, "JMSCorrelationID = '" + id + "'")) {
            assertNull(consumer.receive(1_000), "nothing reaches a destination the account may no longer use");
        }
    }

    /** A delivery of a new event to the target, due now and leased to this test. */
    private String dueDelivery(Fixtures.JmsTarget target) {
        long now = clock.millis();
        String id = fixtures.deliveries(target.target(), now - 1).get(0);
        rows.update("UPDATE delivery SET leased_until = ? WHERE id = ?", now + 60_000, id);
        return id;
    }

    /** One attempt through the worker, as a test send makes it; true once its outcome is recorded. */
    private boolean attempt(String id) throws Exception {
        long until = rows.number("SELECT leased_until FROM delivery WHERE id = ?", id);
        return worker.attemptNow(new Lease(id, until)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String hmac(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
