package dev.pons.incontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.inject.Inject;
import jakarta.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pons.delivery.control.Lease;
import dev.pons.ingest.control.MetaNotificationParser;
import dev.pons.ingest.control.MetaWebhooks;

/**
 * The ingest transaction on the server, with real JPA, JTA and JMS: fan-out writes its deliveries in the
 * transaction that records the event, and queues them only once it commits.
 */
@ExtendWith(ArquillianExtension.class)
class IngestIT {

    /** A Meta webhook of one inbound text message (src/test/resources/meta), for the number and message id below. */
    private static final String FIXTURE = "meta/inbound-text.json";
    private static final String FIXTURE_NUMBER = "106540352242922";
    private static final String FIXTURE_MESSAGE = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTVCMjM4RDdEQ0UzNDAwRDI0RAA=";

    @Deployment
    static WebArchive deployment() {
        return ControlLayer.deployment(IngestIT.class, Ingest.class).addAsResource(FIXTURE);
    }

    @Inject
    MetaWebhooks webhooks;

    @Inject
    Ingest ingest;

    @Inject
    Fixtures fixtures;

    @Inject
    Rows rows;

    @Inject
    DeliveryMessages messages;

    @Test
    void anIngestThatCommitsFansOutAndQueuesItsDeliveries() throws Exception {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().build());
        webhooks.receiveAll(List.of(webhook(target)));

        List<?> created = rows.list("SELECT id FROM delivery WHERE target_id = ?", target.targetId());
        assertEquals(1, created.size(), "fan-out makes one delivery per subscribed target");
        List<Lease> queued = messages.take(lease -> lease.deliveryId().equals(created.get(0)), Duration.ofSeconds(2));
        assertEquals(1, queued.size(), "the committed delivery reaches the queue");
    }

    @Test
    void anIngestThatLosesTheDedupeRaceAfterFanOutLeavesNoDelivery() throws Exception {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().build());
        byte[] body = webhook(target);
        String dedupeKey = MetaNotificationParser.parse(new String(body, StandardCharsets.UTF_8)).get(0).dedupeKey();

        // Another instance records the same event between this one's check and its commit (Events.record).
        assertThrows(RuntimeException.class, () -> ingest.receiveThen(body, () -> rows.update("INSERT INTO event"
                        + " (id, account_id, type, source, occurred_at, created_at, dedupe_key, body)"
                        + " VALUES (?, ?, 'message.inbound.received', 'meta_webhook', 0, 0, ?, '{}')",
                "evt-rival-" + UUID.randomUUID(), target.accountId(), dedupeKey)),
                "event.dedupe_key is unique: the second transaction to record an event fails at commit");

        assertNothingOf(target, "a transaction that loses the dedupe race after fan-out");
    }

    @Test
    void anIngestThatFailsAfterFanOutLeavesNoDelivery() throws Exception {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().build());
        byte[] body = webhook(target);

        assertThrows(RuntimeException.class, () -> ingest.receiveThen(body, () -> {
            throw new IllegalStateException("the ingest transaction fails after its fan-out");
        }));

        assertNothingOf(target, "an ingest transaction that rolls back after fan-out");
        assertEquals(0, rows.number("SELECT COUNT(*) FROM event WHERE account_id = ?", target.accountId()),
                "nor an event");
    }

    private void assertNothingOf(Fixtures.Target target, String what) {
        assertEquals(0, rows.number("SELECT COUNT(*) FROM delivery WHERE target_id = ?", target.targetId()),
                what + " leaves no delivery row (Deliveries.fanOut runs in the ingest transaction)");
        // What the rolled-back fan-out would have queued names a delivery that does not exist.
        List<Lease> queued = messages.take(lease -> rows.value("SELECT id FROM delivery WHERE id = ?",
                lease.deliveryId()) == null, Duration.ofSeconds(2));
        assertEquals(List.of(), queued, what + " queues nothing (DeliveryQueue.afterCommit sends only on commit)");
    }

    /** The fixture, for this target's number and a message id of its own. */
    private static byte[] webhook(Fixtures.Target target) throws IOException {
        try (InputStream in = IngestIT.class.getClassLoader().getResourceAsStream(FIXTURE)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace(FIXTURE_NUMBER, target.phoneNumberId())
                    .replace(FIXTURE_MESSAGE, "wamid.incontainer-" + UUID.randomUUID());
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }
}
