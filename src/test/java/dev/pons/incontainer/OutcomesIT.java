package dev.pons.incontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
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
import dev.pons.delivery.control.Lease;
import dev.pons.delivery.control.Outcome;
import dev.pons.delivery.control.OutcomeWriter;
import dev.pons.delivery.control.Outcomes;

/**
 * Outcomes, OutcomeWriter and TargetHealth on the server, with real JPA, JTA and JMS: the group commit of
 * attempt outcomes, and the circuit of a failing target from the first failures to the probe that closes it.
 */
@ExtendWith(ArquillianExtension.class)
class OutcomesIT {

    @Deployment
    static WebArchive deployment() {
        return ControlLayer.deployment(OutcomesIT.class, TestClock.class);
    }

    @Inject
    Outcomes outcomes;

    @Inject
    OutcomeWriter writer;

    @Inject
    Claims claims;

    @Inject
    HandOut handOut;

    @Inject
    Fixtures fixtures;

    @Inject
    Rows rows;

    @Inject
    Threads threads;

    @Inject
    DeliveryMessages messages;

    @Inject
    TestClock testClock;

    @Inject
    Clock clock;

    @Test
    void oneOutcomeTheDatabaseRefusesFailsAloneInAGroupCommit() throws Exception {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().build());
        long now = clock.millis();
        List<String> ids = fixtures.deliveries(target, now - 4, now - 3, now - 2, now - 1);
        List<Claim> taken = claimAll(ids, now + 60_000);
        // Attempt 1 of the third delivery is on record already: its outcome breaks delivery_attempt's key.
        String bad = ids.get(2);
        rows.update("INSERT INTO delivery_attempt (delivery_id, series, number, started_at, latency_ms)"
                + " VALUES (?, 1, 1, ?, 0)", bad, now);

        assertThrows(RuntimeException.class, () -> outcomes.recordAll(entries(taken.subList(1, 4))),
                "the database refuses the batch");
        assertEquals(0, rows.number("SELECT COUNT(*) FROM delivery_attempt WHERE delivery_id IN (?, ?)", ids.get(1), ids.get(3)),
                "Outcomes.recordAll is one transaction: a refused batch records none of its outcomes");

        // The writer is held on the first outcome's row while the next three queue behind it, so they share a batch.
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> holder = threads.start(() -> rows.holdLocked("UPDATE delivery SET updated_at = updated_at"
                + " WHERE id = ?", locked, release, ids.get(0)));
        assertTrue(locked.await(10, TimeUnit.SECONDS));
        List<CompletableFuture<Outcomes.Recorded>> results = new ArrayList<>();
        for (Claim claim : taken) {
            results.add(writer.record(claim, ok(now)).toCompletableFuture());
        }
        Thread.sleep(200);
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);

        for (int i = 0; i < ids.size(); i++) {
            CompletableFuture<Outcomes.Recorded> result = results.get(i);
            if (ids.get(i).equals(bad)) {
                ExecutionException refused = assertThrows(ExecutionException.class, () -> result.get(30, TimeUnit.SECONDS));
                assertNotNull(refused.getCause(), "the refused outcome is reported to its own caller");
                assertEquals("pending", rows.value("SELECT status FROM delivery WHERE id = ?", bad),
                        "the refused outcome changes nothing: its lease runs out and the sweeper sends it again");
            } else {
                assertNull(result.get(30, TimeUnit.SECONDS).nextAttemptAt());
                assertEquals("succeeded", rows.value("SELECT status FROM delivery WHERE id = ?", ids.get(i)),
                        "OutcomeWriter: one refused outcome must not take the others of its batch with it");
                assertEquals(1, rows.number("SELECT COUNT(*) FROM delivery_attempt WHERE delivery_id = ?", ids.get(i)));
            }
        }
    }

    @Test
    void aBatchRecordsEachOutcomeUnderItsOwnLeaseSuccessesAndFailuresAlike() {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder().build());
        long now = clock.millis();
        List<String> ids = fixtures.deliveries(target, now - 4, now - 3, now - 2, now - 1);
        List<Claim> taken = claimAll(ids, now + 60_000);
        // The second outlived its lease: another instance holds it now and will send it itself.
        long rival = now + 120_000;
        rows.update("UPDATE delivery SET leased_until = ? WHERE id = ?", rival, ids.get(1));
        List<OutcomeWriter.Entry> batch = new ArrayList<>(entries(taken.subList(0, 3)));
        batch.add(new OutcomeWriter.Entry(taken.get(3), new Outcome(now, 5, 503, null, "busy", null),
                new CompletableFuture<>()));

        List<Outcomes.Recorded> recorded = outcomes.recordAll(batch);

        assertEquals(4, recorded.size(), "one result per outcome, in order");
        for (int i : new int[] {0, 2}) {
            assertEquals("succeeded", rows.value("SELECT status FROM delivery WHERE id = ?", ids.get(i)));
            assertEquals(1, rows.number("SELECT attempt_count FROM delivery WHERE id = ?", ids.get(i)));
            assertEquals(200, rows.number("SELECT last_status_code FROM delivery WHERE id = ?", ids.get(i)));
            assertNull(rows.value("SELECT leased_until FROM delivery WHERE id = ?", ids.get(i)), "a delivered one holds no lease");
            assertEquals("ok", rows.value("SELECT response_snippet FROM delivery_attempt WHERE delivery_id = ? AND number = 1",
                    ids.get(i)), "the attempt is on record with what the receiver answered");
        }
        assertEquals("pending", rows.value("SELECT status FROM delivery WHERE id = ?", ids.get(1)),
                "an outcome whose lease was taken over is left to the new holder");
        assertEquals(rival, rows.number("SELECT leased_until FROM delivery WHERE id = ?", ids.get(1)));
        assertEquals(0, rows.number("SELECT COUNT(*) FROM delivery_attempt WHERE delivery_id = ?", ids.get(1)));
        assertEquals(0, rows.number("SELECT attempt_count FROM delivery WHERE id = ?", ids.get(1)));
        assertNotNull(recorded.get(3).nextAttemptAt(), "the failed one waits for its retry");
        assertEquals("pending", rows.value("SELECT status FROM delivery WHERE id = ?", ids.get(3)));
        assertEquals(503, rows.number("SELECT last_status_code FROM delivery WHERE id = ?", ids.get(3)));
        assertEquals(1, rows.number("SELECT COUNT(*) FROM delivery_attempt WHERE delivery_id = ?", ids.get(3)));
        assertEquals(1, rows.number("SELECT consecutive_failures FROM webhook_target WHERE id = ?", target.targetId()),
                "the batch's last outcome for the target, a failure, is its health");
    }

    @Test
    void aFailingTargetsCircuitParksItsDeliveriesAndReleasesThemOldestFirst() throws Exception {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder()
                .add("timeoutMs", 1_000).add("initialBackoffMs", 1_000).add("maxBackoffMs", 2_000).build());
        String targetId = target.targetId();
        long now = clock.millis();
        List<String> ids = fixtures.deliveries(target, now - 5, now - 4, now - 3, now - 2, now - 1);

        handOut.sweep();
        List<Claim> first = claims.take(heldLeases(ids));
        assertEquals(5, first.size());
        outcomes.recordAll(failures(first));
        assertNotNull(rows.value("SELECT next_probe_at FROM webhook_target WHERE id = ?", targetId),
                "TargetHealth.OPEN_AFTER failures in a row open the circuit");
        assertEquals(5L, rows.number("SELECT consecutive_failures FROM webhook_target WHERE id = ?", targetId));

        // The retries of the two that failed after it opened are due well before the probe: they stay parked.
        testClock.passBeyond(maxNextAttemptAt(ids.subList(3, 5)));
        handOut.sweep();
        for (String parked : ids.subList(3, 5)) {
            assertNull(rows.value("SELECT leased_until FROM delivery WHERE id = ?", parked),
                    "Circuit: while it is open, a due delivery waits in the database instead of being handed out");
        }

        // The probe's time comes (and with it the end of every lease the failures kept): one delivery goes.
        testClock.passBeyond(Math.max(rows.number("SELECT next_probe_at FROM webhook_target WHERE id = ?", targetId),
                rows.number("SELECT MAX(leased_until) FROM delivery WHERE target_id = ?", targetId)));
        messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofMillis(500));
        handOut.sweep();
        handOut.sweep();
        long now2 = clock.millis();
        List<Lease> probes = messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofSeconds(2));
        assertEquals(1, probes.size(), "an open circuit lets exactly one probe out, however many sweeps run");
        assertEquals(1, rows.number("SELECT COUNT(*) FROM delivery WHERE target_id = ? AND leased_until > ?", targetId, now2));
        Lease probe = probes.get(0);
        assertEquals(probe.until(), rows.number("SELECT next_probe_at FROM webhook_target WHERE id = ?", targetId),
                "whoever takes the probe moves next_probe_at to its lease, which marks it as the probe");

        List<Claim> probeClaims = claims.take(List.of(probe));
        assertEquals(1, probeClaims.size());
        assertTrue(probeClaims.get(0).probe(), "the claim holding the probe's lease is the probe");
        outcomes.recordAll(List.of(new OutcomeWriter.Entry(probeClaims.get(0), ok(now2), new CompletableFuture<>())));
        assertNull(rows.value("SELECT next_probe_at FROM webhook_target WHERE id = ?", targetId),
                "a probe that succeeds closes the circuit");

        handOut.sweep();
        List<Lease> released = messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofSeconds(2));
        List<String> waiting = new ArrayList<>(ids);
        waiting.remove(probe.deliveryId());
        assertEquals(waiting.size(), released.size(), "once the circuit closes, every parked delivery is handed out");
        long previous = Long.MIN_VALUE;
        for (Lease lease : released) {
            long due = rows.number("SELECT next_attempt_at FROM delivery WHERE id = ?", lease.deliveryId());
            assertTrue(due >= previous, "parked deliveries are released oldest first (Leases.handOut's index order)");
            previous = due;
        }
    }

    @Test
    void aProbeWhoseLeaseMustBeExtendedStaysTheProbe() throws Exception {
        Fixtures.Target target = fixtures.target(Json.createObjectBuilder()
                .add("timeoutMs", 1_000).add("initialBackoffMs", 1_000).add("maxBackoffMs", 2_000).build());
        String targetId = target.targetId();
        long now = clock.millis();
        List<String> ids = fixtures.deliveries(target, now - 3, now - 2, now - 1);
        handOut.sweep();
        outcomes.recordAll(failures(claims.take(heldLeases(ids))));
        assertNotNull(rows.value("SELECT next_probe_at FROM webhook_target WHERE id = ?", targetId), "the circuit is open");

        testClock.passBeyond(Math.max(rows.number("SELECT next_probe_at FROM webhook_target WHERE id = ?", targetId),
                rows.number("SELECT MAX(leased_until) FROM delivery WHERE target_id = ?", targetId)));
        messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofMillis(500));
        handOut.sweep();
        List<Lease> probes = messages.take(lease -> ids.contains(lease.deliveryId()), Duration.ofSeconds(2));
        assertEquals(1, probes.size());
        // The probe's message waited in the queue until its lease is too short for an attempt: Claims extends it.
        testClock.passBeyond(probes.get(0).until() - 1_000 - 1_500);

        List<Claim> taken = claims.take(probes);
        assertEquals(1, taken.size());
        Claim probe = taken.get(0);
        assertTrue(probe.leaseUntil() > probes.get(0).until(), "the lease was extended");
        assertTrue(probe.probe(), "an extended probe is still the probe, not a delivery parked behind its own circuit");
        assertEquals(probe.leaseUntil(), rows.number("SELECT next_probe_at FROM webhook_target WHERE id = ?", targetId),
                "next_probe_at moves with the probe's lease");
    }

    private List<Claim> claimAll(List<String> ids, long until) {
        List<Lease> held = new ArrayList<>();
        for (String id : ids) {
            rows.update("UPDATE delivery SET leased_until = ? WHERE id = ?", until, id);
            held.add(new Lease(id, until));
        }
        List<Claim> taken = claims.take(held);
        assertEquals(ids.size(), taken.size());
        List<Claim> inOrder = new ArrayList<>();
        for (String id : ids) {
            inOrder.add(taken.stream().filter(claim -> claim.deliveryId().equals(id)).findFirst().orElseThrow());
        }
        return inOrder;
    }

    private List<Lease> heldLeases(List<String> ids) {
        List<Lease> held = new ArrayList<>();
        for (String id : ids) {
            held.add(new Lease(id, rows.number("SELECT leased_until FROM delivery WHERE id = ?", id)));
        }
        return held;
    }

    private long maxNextAttemptAt(List<String> ids) {
        long max = Long.MIN_VALUE;
        for (String id : ids) {
            max = Math.max(max, rows.number("SELECT next_attempt_at FROM delivery WHERE id = ?", id));
        }
        return max;
    }

    private static List<OutcomeWriter.Entry> entries(List<Claim> claims) {
        List<OutcomeWriter.Entry> entries = new ArrayList<>();
        for (Claim claim : claims) {
            entries.add(new OutcomeWriter.Entry(claim, ok(System.currentTimeMillis()), new CompletableFuture<>()));
        }
        return entries;
    }

    private List<OutcomeWriter.Entry> failures(List<Claim> claims) {
        List<OutcomeWriter.Entry> entries = new ArrayList<>();
        List<Claim> oldestFirst = new ArrayList<>(claims);
        oldestFirst.sort((a, b) -> Long.compare(dueOf(a), dueOf(b)));
        for (Claim claim : oldestFirst) {
            entries.add(new OutcomeWriter.Entry(claim, new Outcome(clock.millis(), 5, 500, null, "down", null),
                    new CompletableFuture<>()));
        }
        return entries;
    }

    private long dueOf(Claim claim) {
        return rows.number("SELECT next_attempt_at FROM delivery WHERE id = ?", claim.deliveryId());
    }

    private static Outcome ok(long startedAt) {
        return new Outcome(startedAt, 5, 200, null, "ok", null);
    }
}
