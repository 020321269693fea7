package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

import dev.pons.delivery.entity.Delivery;
import dev.pons.delivery.entity.DeliveryAttempt;
import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.platform.control.Ids;
import dev.pons.platform.control.Text;
import dev.pons.targets.control.TargetHealth;

/**
 * The last stage of an attempt: its outcome recorded, many in one transaction. Each attempt gets its
 * row; its delivery succeeds, waits for a retry or fails; its target's health and circuit follow.
 */
@ApplicationScoped
public class Outcomes {

    private static final Logger LOG = Logger.getLogger(Outcomes.class.getName());

    /**
     * What became of one outcome: when the next attempt is due (null: none follows), for a retry due
     * soon the lease it keeps meanwhile (a timer queues it then), whether the target's circuit is open
     * now, and for the head of a FIFO line that finished, the lease of the new head, which the caller
     * attempts (null: none, or it waits for the sweeper).
     */
    public record Recorded(Long nextAttemptAt, Lease heldForRetry, boolean circuitOpen, Lease nextInLine) {

        static final Recorded NOTHING_FOLLOWS = new Recorded(null, null, false, null);

        Recorded(Long nextAttemptAt, Lease heldForRetry, boolean circuitOpen) {
            this(nextAttemptAt, heldForRetry, circuitOpen, null);
        }

        Recorded followedBy(Lease nextHead) {
            return new Recorded(nextAttemptAt, heldForRetry, circuitOpen, nextHead);
        }
    }

    /** The length of {@code delivery.last_error} and the attempt's {@code error} and {@code response_snippet}. */
    static final int MAX_STORED_CHARS = 1_000;

    /** Retries due within this are timed in memory and keep their lease; later ones wait for the sweeper. */
    static final long NEAR_TERM_MS = 60_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    TargetHealth targetHealth;

    @Inject
    Leases leases;

    @Inject
    Lines lines;

    @Inject
    Clock clock;

    /**
     * Records attempts in one transaction, in order. An outcome whose lease was taken over meanwhile
     * (it outlived its lease) is logged and left out: the new holder sends it. A FIFO target whose head
     * finished gets its next head in the same transaction.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Recorded> recordAll(List<OutcomeWriter.Entry> entries) {
        long now = clock.millis();
        Map<String, Delivery> deliveries = new HashMap<>();
        em.createQuery("SELECT d FROM Delivery d WHERE d.id IN :ids", Delivery.class)
                .setParameter("ids", entries.stream().map(entry -> entry.claim().deliveryId()).toList())
                .getResultList()
                .forEach(delivery -> deliveries.put(delivery.getId(), delivery));
        Map<String, Boolean> targetHealthy = new HashMap<>();
        List<Recorded> results = new ArrayList<>(entries.size());
        // Target id -> the index of the outcome that finished its line's head.
        Map<String, Integer> headsFinished = new LinkedHashMap<>();
        for (OutcomeWriter.Entry entry : entries) {
            Delivery delivery = deliveries.get(entry.claim().deliveryId());
            Recorded recorded = record(delivery, entry.claim(), entry.outcome(), now, targetHealthy);
            results.add(recorded);
            if (entry.claim().fifo() && delivery != null && delivery.getStatus() != DeliveryStatus.PENDING) {
                headsFinished.put(entry.claim().targetId(), results.size() - 1);
            }
        }
        List<String> succeeded = targetHealthy.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        if (!succeeded.isEmpty()) {
            targetHealth.succeeded(succeeded, now);
        }
        // After the health update: a success that closed the circuit lets the new head go at once.
        headsFinished.forEach((targetId, index) -> {
            Lease nextHead = lines.promoteHere(targetId, now);
            if (nextHead != null) {
                results.set(index, results.get(index).followedBy(nextHead));
            }
        });
        return results;
    }

    private Recorded record(Delivery delivery, Claim claim, Outcome outcome, long now, Map<String, Boolean> targetHealthy) {
        if (delivery == null || delivery.getStatus() != DeliveryStatus.PENDING
                || !Objects.equals(delivery.getLeasedUntil(), claim.leaseUntil())) {
            LOG.info(() -> "attempt " + claim.attemptNumber() + " of delivery " + claim.deliveryId()
                    + " not recorded: its lease ended before the outcome was in");
            return Recorded.NOTHING_FOLLOWS;
        }
        em.persist(new DeliveryAttempt(Ids.next("att", now), claim.deliveryId(), claim.series(), claim.attemptNumber(),
                outcome.startedAt(), outcome.latencyMs(), outcome.statusCode(), storable(outcome.error()),
                storable(outcome.responseSnippet())));
        if (outcome.succeeded()) {
            delivery.succeeded(outcome.statusCode(), now);
            // A target's health is written once per batch, by its last outcome in it.
            targetHealthy.put(claim.targetId(), true);
            return Recorded.NOTHING_FOLLOWS;
        }
        targetHealthy.put(claim.targetId(), false);
        Long next = null;
        if (delivery.hasAttemptsLeftAfterThisOne()) {
            long delay = Backoff.delayMillis(claim.attemptNumber(), claim.initialBackoffMs(), claim.maxBackoffMs(),
                    ThreadLocalRandom.current());
            if (outcome.retryAfterMs() != null) {
                delay = Math.max(delay, Math.min(outcome.retryAfterMs(), claim.maxBackoffMs()));
            }
            next = now + delay;
        }
        String error = storable(outcome.describeFailure());
        TargetHealth.Failing health = targetHealth.failed(claim.targetId(), error, now,
                outcome.statusCode() != null && outcome.statusCode() == 410);
        boolean open = Circuit.open(health.consecutiveFailures());
        // The failure that opens the circuit, and a failed probe, set the next probe. Other attempts that were
        // under way when it opened wait in the database like the rest: only the probe is timed in memory.
        boolean setsProbe = open && (claim.probe() || health.nextProbeAt() == null);
        boolean nearTerm = next != null && next - now <= NEAR_TERM_MS && (!open || setsProbe);
        Long lease = nearTerm ? leases.until(next, claim.timeoutMs()) : null;
        delivery.failed(outcome.statusCode(), error, next, lease, now);
        if (setsProbe) {
            targetHealth.probeNotBefore(claim.targetId(), Circuit.nextProbeAt(health.consecutiveFailures(), next, lease,
                    now, claim.initialBackoffMs(), claim.maxBackoffMs(), ThreadLocalRandom.current()));
        }
        return new Recorded(next, nearTerm ? new Lease(claim.deliveryId(), lease) : null, open);
    }

    /**
     * What a receiver answered or an error said, fit for any database: without control characters
     * (PostgreSQL refuses a NUL in text, and an outcome it cannot store would have its delivery sent
     * again forever; tabs and line breaks stay, a receiver's answer reads better with them) and within
     * the columns' 1,000 characters.
     */
    static String storable(String s) {
        return Text.storable(s, MAX_STORED_CHARS);
    }
}
