package dev.pons.incontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import dev.pons.delivery.control.HandOut;
import dev.pons.delivery.control.Lanes;
import dev.pons.delivery.control.Lease;
import dev.pons.delivery.control.Leases;

/**
 * Claims, Leases and HandOut on the server, with real JPA, JTA and JMS: several workers or instances at
 * once, and still one sender per delivery.
 */
@ExtendWith(ArquillianExtension.class)
class LeasesIT {

    @Deployment
    static WebArchive deployment() {
        return ControlLayer.deployment(LeasesIT.class, TestClock.class);
    }

    @Inject
    Claims claims;

    @Inject
    Leases leases;

    @Inject
    HandOut handOut;

    @Inject
    Transactions transactions;

    @Inject
    DeliveryMessages messages;

    @Inject
    Fixtures fixtures;

    @Inject
    Rows rows;

    @Inject
    Threads threads;

    @Inject
    Lanes lanes;

    @Inject
    TestClock testClock;

    @Inject
    Clock clock;

    @Test
    void twoTakesOfOneLeaseThatMustBeExtendedLetExactlyOneSend() throws Exception {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().add("timeoutMs", 1_000).build());
        long now = clock.millis();
        String id = fixtures.deliveries(target, now - 1).get(0);
        // Close to its end: a taker must move the lease before it may POST (Claims.LEASE_MARGIN_MS).
        Lease held = new Lease(id, now + 1_000);
        rows.update("UPDATE delivery SET leased_until = ? WHERE id = ?", held.until(), id);

        // The row is locked, not changed: both takers read the lease as theirs and then meet at the update.
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> holder = threads.start(() -> rows.holdLocked("UPDATE delivery SET updated_at = updated_at"
                + " WHERE id = ?", locked, release, id));
        assertTrue(locked.await(10, TimeUnit.SECONDS));
        Future<List<Claim>> first = threads.start(() -> claims.take(List.of(held)));
        Future<List<Claim>> second = threads.start(() -> claims.take(List.of(held)));
        Thread.sleep(300);
        assertFalse(first.isDone() || second.isDone(),
                "a taker that must extend the lease writes the row, so it waits for whoever holds it");
        release.countDown();
        assertEquals(1, holder.get(10, TimeUnit.SECONDS));

        List<Claim> a = first.get(20, TimeUnit.SECONDS);
        List<Claim> b = second.get(20, TimeUnit.SECONDS);
        assertEquals(1, a.size() + b.size(),
                "Leases.extend is conditional on the lease it read: of two takes of one lease exactly one may send");
        Claim winner = a.isEmpty() ? b.get(0) : a.get(0);
        assertEquals(id, winner.deliveryId());
        assertTrue(winner.leaseUntil() > held.until(), "the winner sends under the extended lease");
        assertEquals(winner.leaseUntil(), rows.number("SELECT leased_until FROM delivery WHERE id = ?", id),
                "the row holds the lease the winner sends under, so the loser's duplicate can never record an outcome");
    }

    @Test
    void aLeaseTakenOverIsNotSentByItsFormerHolder() {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().build());
        long now = clock.millis();
        String id = fixtures.deliveries(target, now - 1).get(0);
        Lease old = new Lease(id, now + 60_000);
        rows.update("UPDATE delivery SET leased_until = ? WHERE id = ?", old.until() + 1, id);

        assertEquals(List.of(), claims.take(List.of(old)),
                "a message whose lease no longer matches the row is a stale duplicate: nothing is sent");
    }

    @Test
    void twoHandOutsAtOnceLeaseEachDueRowOnce() throws Exception {
        long now = clock.millis();
        handOutTwiceAtOnce(now, now + 30_000, now + 30_001);
    }

    @Test
    void twoHandOutsInOneMillisecondLeaseEachDueRowOnce() throws Exception {
        long now = clock.millis();
        // The same target's timeout from the same instant: both leases end at the same moment, so the
        // rows cannot say whose lease they hold.
        handOutTwiceAtOnce(now, now + 30_000, now + 30_000);
    }

    /** As two instances would: both read the same due rows, then both try to lease them. */
    private void handOutTwiceAtOnce(long now, long untilA, long untilB) throws Exception {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().build());
        List<String> ids = fixtures.deliveries(target, dueTimes(now, 12));

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> holder = threads.start(() -> rows.holdLocked("UPDATE delivery SET updated_at = updated_at"
                + " WHERE target_id = ?", locked, release, target.targetId()));
        assertTrue(locked.await(10, TimeUnit.SECONDS));
        Future<List<Lease>> a = threads.start(() -> transactions.inNew(() -> leases.handOut(target.targetId(), 100, now, untilA)));
        Future<List<Lease>> b = threads.start(() -> transactions.inNew(() -> leases.handOut(target.targetId(), 100, now, untilB)));
        Thread.sleep(300);
        release.countDown();
        assertEquals(12, holder.get(10, TimeUnit.SECONDS));

        List<Lease> taken = new ArrayList<>(a.get(20, TimeUnit.SECONDS));
        taken.addAll(b.get(20, TimeUnit.SECONDS));
        assertEquals(Set.copyOf(ids), ids(taken), "every due row is handed out");
        assertEquals(12, taken.size(), "Leases.handOut's conditional update: no row is handed out twice");
        for (Lease lease : taken) {
            assertEquals(lease.until(), rows.number("SELECT leased_until FROM delivery WHERE id = ?", lease.deliveryId()),
                    "the row holds the lease of the hand-out that returned it");
        }
    }

    @Test
    void twoSweepsAtOnceQueueEachDueRowOnce() throws Exception {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().build());
        long now = clock.millis();
        Set<String> ids = Set.copyOf(fixtures.deliveries(target, dueTimes(now, 12)));

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> holder = threads.start(() -> rows.holdLocked("UPDATE delivery SET updated_at = updated_at"
                + " WHERE target_id = ?", locked, release, target.targetId()));
        assertTrue(locked.await(10, TimeUnit.SECONDS));
        Future<Integer> a = threads.start(handOut::sweep);
        Future<Integer> b = threads.start(handOut::sweep);
        Thread.sleep(300);
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        // Each sweep visits the targets in its own shuffled order, each target in a transaction of its own:
        // two sweeps meeting at the same rows wait for each other, and neither is rolled back as a deadlock victim.
        for (Future<Integer> sweep : List.of(a, b)) {
            sweep.get(20, TimeUnit.SECONDS);
        }

        List<Lease> queued = messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofSeconds(2));
        assertEquals(ids, ids(queued), "every due row reaches the delivery queue once its lease is committed");
        assertEquals(12, queued.size(), "HandOut: no row is queued twice, whichever sweep leased it");
        Map<String, Long> leased = new HashMap<>();
        for (Object row : rows.list("SELECT id, leased_until FROM delivery WHERE target_id = ?", target.targetId())) {
            Object[] columns = (Object[]) row;
            leased.put((String) columns[0], ((Number) columns[1]).longValue());
        }
        for (Lease lease : queued) {
            assertEquals(leased.get(lease.deliveryId()), lease.until(), "the message carries the lease the row holds");
        }
    }

    @Test
    void aRefillOfSeveralTargetsHandsOutEachTargetsWaitingRowsOnce() {
        Fixtures.Target first = fixtures.target(Json.createObjectBuilder().build());
        Fixtures.Target second = fixtures.target(Json.createObjectBuilder().build());
        long now = clock.millis();
        Set<String> ids = new HashSet<>(fixtures.deliveries(first, dueTimes(now, 5)));
        ids.addAll(fixtures.deliveries(second, dueTimes(now, 7)));

        // As the refill writer passes them: in no particular order, a target asked for twice.
        handOut.refillAll(List.of(second.targetId(), first.targetId(), second.targetId()));

        List<Lease> queued = messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofSeconds(2));
        assertEquals(ids, ids(queued), "both targets' waiting rows reach the queue in the one transaction");
        assertEquals(12, queued.size(), "a target asked for twice is handed out once");
        for (Lease lease : queued) {
            assertEquals(lease.until(), rows.number("SELECT leased_until FROM delivery WHERE id = ?", lease.deliveryId()),
                    "the message carries the lease the row holds");
        }
    }

    @Test
    void aRefillThatFindsNoRoomLeavesItsTargetFreeToAskAgain() {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().build());
        String targetId = target.targetId();
        String accountId = target.accountId();
        Set<String> ids = Set.copyOf(fixtures.deliveries(target, dueTimes(clock.millis(), 3)));
        assertTrue(lanes.parked(targetId, accountId), "a fan-out parked deliveries and committed: a refill is asked");

        // Before the refill runs, fan-outs take all the room it was asked for.
        int reservations = 0;
        while (lanes.tryReserve(targetId, accountId, null)) {
            reservations++;
        }
        assertTrue(reservations > 0);
        handOut.refillAll(List.of(targetId));
        assertEquals(List.of(), messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofMillis(500)),
                "no room: the refill hands nothing out");

        // The fan-outs' messages went elsewhere: their reservations lapse (after 2 s) and the room is free again.
        testClock.advance(Duration.ofSeconds(5));
        assertTrue(lanes.parked(targetId, accountId),
                "the lane asks again: left 'refill asked', its deliveries would wait for the sweeper");
        handOut.refillAll(List.of(targetId));
        List<Lease> queued = messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofSeconds(2));
        assertEquals(ids, ids(queued), "the second refill hands out what the first found no room for");
    }

    private static long[] dueTimes(long now, int count) {
        long[] due = new long[count];
        for (int i = 0; i < count; i++) {
            due[i] = now - 1_000 + i;
        }
        return due;
    }

    private static Set<String> ids(List<Lease> leases) {
        Set<String> ids = new HashSet<>();
        leases.forEach(lease -> ids.add(lease.deliveryId()));
        return ids;
    }
}
