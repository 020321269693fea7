package dev.pons.delivery.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import javax.sql.DataSource;

import dev.pons.delivery.entity.Delivery;
import dev.pons.delivery.entity.DeliveryStatus;
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

    /** The persistence unit's data source, enlisted in the same JTA transaction as {@link #em}. */
    @Resource(lookup = "jdbc/pons")
    DataSource database;

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
        List<OutcomeWriter.Entry> successes = entries.stream().filter(entry -> entry.outcome().succeeded()).toList();
        Set<String> delivered = succeed(successes, now);
        Map<String, Delivery> failing = new HashMap<>();
        if (successes.size() < entries.size()) {
            em.createQuery("SELECT d FROM Delivery d WHERE d.id IN :ids", Delivery.class)
                    .setParameter("ids", entries.stream().filter(entry -> !entry.outcome().succeeded())
                            .map(entry -> entry.claim().deliveryId()).toList())
                    .getResultList()
                    .forEach(delivery -> failing.put(delivery.getId(), delivery));
        }
        Map<String, Boolean> targetHealthy = new HashMap<>();
        List<OutcomeWriter.Entry> attempts = new ArrayList<>(entries.size());
        List<Recorded> results = new ArrayList<>(entries.size());
        // Target id -> the index of the outcome that finished its line's head.
        Map<String, Integer> headsFinished = new LinkedHashMap<>();
        for (OutcomeWriter.Entry entry : entries) {
            Claim claim = entry.claim();
            boolean finished;
            if (entry.outcome().succeeded()) {
                finished = delivered.contains(claim.deliveryId());
                results.add(Recorded.NOTHING_FOLLOWS);
                if (finished) {
                    attempts.add(entry);
                    // A target's health is written once per batch, by its last outcome in it.
                    targetHealthy.put(claim.targetId(), true);
                } else {
                    notRecorded(claim);
                }
            } else {
                Delivery delivery = failing.get(claim.deliveryId());
                if (delivery == null || delivery.getStatus() != DeliveryStatus.PENDING
                        || !Objects.equals(delivery.getLeasedUntil(), claim.leaseUntil())) {
                    notRecorded(claim);
                    results.add(Recorded.NOTHING_FOLLOWS);
                    continue;
                }
                attempts.add(entry);
                targetHealthy.put(claim.targetId(), false);
                results.add(failed(delivery, claim, entry.outcome(), now));
                finished = delivery.getStatus() != DeliveryStatus.PENDING;
            }
            if (claim.fifo() && finished) {
                headsFinished.put(claim.targetId(), results.size() - 1);
            }
        }
        insertAttempts(attempts);
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

    /**
     * Marks the deliveries of successful attempts delivered, each only if it still holds the lease its
     * attempt was made under: one JDBC batch of conditional updates instead of loading each row as an
     * entity and flushing it back. Success is most of the traffic, and its write needs nothing from the
     * row. Answers the ids that still held their lease.
     */
    private Set<String> succeed(List<OutcomeWriter.Entry> successes, long now) {
        if (successes.isEmpty()) {
            return Set.of();
        }
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE delivery SET status = ?,"
                     + " attempt_count = attempt_count + 1, last_status_code = ?, last_error = NULL, next_attempt_at = NULL,"
                     + " leased_until = NULL, delivered_at = ?, updated_at = ? WHERE id = ? AND status = ? AND leased_until = ?")) {
            for (OutcomeWriter.Entry entry : successes) {
                update.setString(1, DeliveryStatus.SUCCEEDED.wireName());
                update.setObject(2, entry.outcome().statusCode(), Types.INTEGER);
                update.setLong(3, now);
                update.setLong(4, now);
                update.setString(5, entry.claim().deliveryId());
                update.setString(6, DeliveryStatus.PENDING.wireName());
                update.setLong(7, entry.claim().leaseUntil());
                update.addBatch();
            }
            // A count per statement, as H2's and PostgreSQL's drivers report them for updates.
            int[] counts = update.executeBatch();
            Set<String> held = new HashSet<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 1) {
                    held.add(successes.get(i).claim().deliveryId());
                }
            }
            return held;
        } catch (SQLException e) {
            throw new PersistenceException("recording " + successes.size() + " successful attempts failed", e);
        }
    }

    /** One row per attempt, for the delivery log: a JDBC batch, as in {@link #succeed}. */
    private void insertAttempts(List<OutcomeWriter.Entry> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO delivery_attempt (delivery_id,"
                     + " series, number, started_at, latency_ms, status_code, error, response_snippet)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (OutcomeWriter.Entry entry : attempts) {
                Claim claim = entry.claim();
                Outcome outcome = entry.outcome();
                insert.setString(1, claim.deliveryId());
                insert.setInt(2, claim.series());
                insert.setInt(3, claim.attemptNumber());
                insert.setLong(4, outcome.startedAt());
                insert.setLong(5, outcome.latencyMs());
                insert.setObject(6, outcome.statusCode(), Types.INTEGER);
                insert.setString(7, storable(outcome.error()));
                insert.setString(8, storable(outcome.responseSnippet()));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new PersistenceException("recording " + attempts.size() + " attempts failed", e);
        }
    }

    private static void notRecorded(Claim claim) {
        LOG.info(() -> "attempt " + claim.attemptNumber() + " of delivery " + claim.deliveryId()
                + " not recorded: the delivery no longer holds the lease the attempt was made under (it ran out and"
                + " another holder took over, or the delivery was finished or deleted meanwhile)");
    }

    /** A failed attempt of a delivery whose lease still held: a retry, or its end, and the target's health. */
    private Recorded failed(Delivery delivery, Claim claim, Outcome outcome, long now) {
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
