package dev.pons.incontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pons.delivery.control.Claim;
import dev.pons.delivery.control.Claims;
import dev.pons.delivery.control.Lease;
import dev.pons.delivery.control.Lines;
import dev.pons.delivery.control.Outcome;
import dev.pons.delivery.control.OutcomeWriter;
import dev.pons.delivery.control.Outcomes;
import dev.pons.delivery.entity.Delivery;

/**
 * Lines on the server, with real JPA, JTA and JMS: a FIFO target's line gets one head however many
 * instances promote at once, and a head hands on to the next only when it is finished.
 */
@ExtendWith(ArquillianExtension.class)
class LinesIT {

    @Deployment
    static WebArchive deployment() {
        return ControlLayer.deployment(LinesIT.class);
    }

    @Inject
    Lines lines;

    @Inject
    Claims claims;

    @Inject
    Outcomes outcomes;

    @Inject
    Fixtures fixtures;

    @Inject
    Rows rows;

    @Inject
    Threads threads;

    @Inject
    DeliveryMessages messages;

    @Inject
    Clock clock;

    private Fixtures.Target fifoTarget() {
        return fixtures.target(Json.createObjectBuilder().add("ordering", "fifo").add("initialBackoffMs", 60_000).build());
    }

    /** Three deliveries waiting in line, in this order. */
    private List<String> lineOf(Fixtures.Target target) {
        return fixtures.deliveries(target, Delivery.IN_LINE + 10, Delivery.IN_LINE + 20, Delivery.IN_LINE + 30);
    }

    private long heads(String targetId) {
        return rows.number("SELECT COUNT(*) FROM delivery WHERE target_id = ? AND status = 'pending' AND next_attempt_at < ?",
                targetId, Delivery.IN_LINE);
    }

    @Test
    void twoPromotionsAtOnceGiveTheLineOneHeadItsFirst() throws Exception {
        Fixtures.Target target = fifoTarget();
        List<String> ids = lineOf(target);

        // As two instances would, each after its own commit: both find the line without a head.
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> holder = threads.start(() -> rows.holdLocked("UPDATE webhook_target SET updated_at = updated_at"
                + " WHERE id = ?", locked, release, target.targetId()));
        assertTrue(locked.await(10, TimeUnit.SECONDS));
        Future<Boolean> a = threads.start(() -> lines.promote(target.targetId()));
        Future<Boolean> b = threads.start(() -> lines.promote(target.targetId()));
        Thread.sleep(300);
        assertFalse(a.isDone() || b.isDone(), "a promotion takes the target's row lock before it looks for a head");
        release.countDown();
        assertEquals(1, holder.get(10, TimeUnit.SECONDS));

        assertTrue(a.get(20, TimeUnit.SECONDS) ^ b.get(20, TimeUnit.SECONDS),
                "Lines.promote under the target's row lock: of two promotions at once exactly one makes a head");
        assertEquals(1, heads(target.targetId()), "a FIFO line never has two heads");
        List<Lease> queued = messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofSeconds(2));
        assertEquals(List.of(ids.get(0)), queued.stream().map(Lease::deliveryId).toList(),
                "the head is the first in line, leased and queued once its promotion commits");
    }

    @Test
    void aHeadThatSucceedsHandsOnToTheNextInTheSameTransaction() {
        Fixtures.Target target = fifoTarget();
        List<String> ids = lineOf(target);
        assertTrue(lines.promote(target.targetId()));
        Claim head = takeQueued(ids);
        assertEquals(ids.get(0), head.deliveryId());
        assertTrue(head.fifo());

        long now = clock.millis();
        List<Outcomes.Recorded> recorded = outcomes.recordAll(List.of(new OutcomeWriter.Entry(head,
                new Outcome(now, 5, 200, null, "ok", null), new CompletableFuture<>())));

        assertEquals("succeeded", rows.value("SELECT status FROM delivery WHERE id = ?", ids.get(0)));
        assertEquals(1, heads(target.targetId()));
        assertTrue(rows.number("SELECT next_attempt_at FROM delivery WHERE id = ?", ids.get(1)) < Delivery.IN_LINE,
                "Outcomes: the head's success makes the next in line the head, in the outcome's transaction");
        assertTrue(rows.number("SELECT next_attempt_at FROM delivery WHERE id = ?", ids.get(2)) >= Delivery.IN_LINE,
                "the third still waits");
        Lease nextHead = recorded.get(0).nextInLine();
        assertEquals(ids.get(1), nextHead.deliveryId(), "the outcome hands its worker the new head to attempt at once");
        assertEquals(nextHead.until(), rows.number("SELECT leased_until FROM delivery WHERE id = ?", ids.get(1)),
                "leased in the outcome's transaction, so no other instance takes it meanwhile");
        assertEquals(List.of(), messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofMillis(500)),
                "not sent through the queue, where it would wait behind other targets' messages");
    }

    @Test
    void aHeadThatFailsWithAttemptsLeftKeepsTheLineWaiting() {
        Fixtures.Target target = fifoTarget();
        List<String> ids = lineOf(target);
        assertTrue(lines.promote(target.targetId()));
        Claim head = takeQueued(ids);

        long now = clock.millis();
        outcomes.recordAll(List.of(new OutcomeWriter.Entry(head, new Outcome(now, 5, 500, null, "no", null),
                new CompletableFuture<>())));

        assertEquals("pending", rows.value("SELECT status FROM delivery WHERE id = ?", ids.get(0)));
        assertTrue(rows.number("SELECT next_attempt_at FROM delivery WHERE id = ?", ids.get(0)) > now + 30_000,
                "the head waits for its retry");
        for (String behind : ids.subList(1, 3)) {
            assertTrue(rows.number("SELECT next_attempt_at FROM delivery WHERE id = ?", behind) >= Delivery.IN_LINE,
                    "while the head is retried, the ones behind it wait in line");
        }
        assertFalse(lines.promote(target.targetId()), "a line whose head is waiting for a retry gets no other head");
        assertEquals(List.of(), messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofMillis(500)));
    }

    /** The one delivery of {@code ids} that reaches the queue, taken as its worker would. */
    private Claim takeQueued(List<String> ids) {
        List<Lease> queued = messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofSeconds(2));
        assertEquals(1, queued.size(), "one head at a time reaches the queue: " + queued);
        List<Claim> taken = claims.take(queued);
        assertEquals(1, taken.size());
        return taken.get(0);
    }
}
