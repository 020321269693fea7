package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import java.util.stream.Stream;

import dev.pons.delivery.entity.Delivery;
import dev.pons.delivery.entity.DeliveryAttempt;
import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.events.entity.Event;
import dev.pons.platform.control.Ids;
import dev.pons.targets.control.TargetHealth;
import dev.pons.targets.control.Targets;
import dev.pons.targets.entity.WebhookTarget;

/**
 * The short transactions around an attempt: taking the delivery before the POST (usually a read,
 * the lease having been taken when it was queued), recording outcomes after it, many in one commit.
 * The POST itself runs outside any transaction.
 */
@ApplicationScoped
public class Attempts {

    private static final Logger LOG = Logger.getLogger(Attempts.class.getName());

    /** Everything the POST needs, read while taking the delivery: no entity crosses the HTTP call. */
    public record Claim(String deliveryId, long leaseUntil, int series, int attemptNumber, String eventId,
                        String eventType, byte[] body, String targetId, URI url, int timeoutMs, String secret,
                        String previousSecret, Map<String, String> headers, long initialBackoffMs, long maxBackoffMs,
                        boolean targetFailing) {
    }

    /**
     * What {@link #recordAll} did with one outcome: when the next attempt is due (null: none follows),
     * and for a retry due soon the lease it keeps meanwhile, to be queued by a timer at that time.
     */
    public record Recorded(Long nextAttemptAt, Lease heldForRetry) {

        static final Recorded NOTHING_FOLLOWS = new Recorded(null, null);
    }

    /** Consecutive failures after which a target gets a single probing attempt at a time. */
    static final int FAILING_AFTER = 3;

    static final long DUE_TOLERANCE_MS = 50;

    /** The length of {@code delivery.last_error} and the attempt's {@code error} and {@code response_snippet}. */
    static final int MAX_STORED_CHARS = 1_000;

    /** Retries due within this are timed in memory and keep their lease; later ones wait for the sweeper. */
    static final long NEAR_TERM_MS = 60_000;

    /** A held lease must outlast the POST by at least this, or it is extended first. */
    static final long LEASE_MARGIN_MS = 2_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    Targets targets;

    @Inject
    Deliveries deliveries;

    @Inject
    TargetHealth targetHealth;

    @Inject
    Clock clock;

    /**
     * Takes the deliveries of one queue message with the leases it carries, leaving out those that are
     * finished, not yet due, paused with their target, or leased to someone else since. Two id-list
     * queries and a find per target for the lot, and usually no write: the leases were taken when the
     * deliveries were queued. Plain SQL: this runs for every message, and Hibernate translates a
     * JPQL query with an id list anew for each call.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Claim> takeAll(List<Lease> leases) {
        long now = clock.millis();
        Map<String, Row> found = new HashMap<>();
        for (Object[] columns : rows("SELECT id, status, claimed_until, next_attempt_at, target_id, event_id,"
                + " event_type, series, attempt_count FROM delivery WHERE id IN", leases.stream().map(Lease::deliveryId))) {
            Row row = Row.of(columns);
            found.put(row.id(), row);
        }
        List<Row> due = new ArrayList<>();
        for (Lease lease : leases) {
            Row row = found.get(lease.deliveryId());
            if (row != null && DeliveryStatus.PENDING.wireName().equals(row.status())
                    && Objects.equals(row.claimedUntil(), lease.until())
                    && row.nextAttemptAt() != null && row.nextAttemptAt() <= now + DUE_TOLERANCE_MS) {
                due.add(row);
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        Map<String, WebhookTarget> targetsById = new HashMap<>();
        for (String targetId : due.stream().map(Row::targetId).distinct().toList()) {
            targetsById.put(targetId, em.find(WebhookTarget.class, targetId));
        }
        Map<String, String> bodies = new HashMap<>();
        for (Object[] columns : rows("SELECT id, body FROM event WHERE id IN", due.stream().map(Row::eventId).distinct())) {
            bodies.put((String) columns[0], (String) columns[1]);
        }
        List<Claim> claims = new ArrayList<>(due.size());
        // Sat in the queue for a while: make sure nobody takes them over while the POSTs run.
        Map<LeaseMove, List<Row>> toExtend = new HashMap<>();
        for (Row row : due) {
            WebhookTarget target = targetsById.get(row.targetId());
            long until = row.claimedUntil();
            if (!target.isEnabled()) {
                // Paused with its target: it resumes where it was when the target is enabled again.
                changeLease(row.id(), until, null);
            } else if (until - now < target.getTimeoutMs() + LEASE_MARGIN_MS) {
                toExtend.computeIfAbsent(new LeaseMove(until, deliveries.leaseUntil(now, target.getTimeoutMs())),
                        move -> new ArrayList<>()).add(row);
            } else {
                claims.add(claimOf(row, until, target, bodies.get(row.eventId()), now));
            }
        }
        toExtend.forEach((move, rows) -> {
            if (extendLeases(rows, move)) {
                rows.forEach(row -> claims.add(claimOf(row, move.to(), targetsById.get(row.targetId()),
                        bodies.get(row.eventId()), now)));
            }
        });
        return claims;
    }

    /** A lease held until {@code from}, to be held until {@code to}. */
    private record LeaseMove(long from, long to) {
    }

    /**
     * Moves the leases of rows that share one, with one statement: in a backlog drain nearly every
     * delivery needs it, and an update per row would cost the drain a statement per delivery. If not
     * every row still had the lease (another instance took one over once it expired), none of them is
     * sent from here: which rows the statement moved is unknown, and those it did are handed out again
     * after their new lease.
     */
    private boolean extendLeases(List<Row> rows, LeaseMove move) {
        List<String> ids = padded(rows.stream().map(Row::id));
        var update = em.createNativeQuery("UPDATE delivery SET claimed_until = ? WHERE claimed_until = ? AND id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")");
        update.setParameter(1, move.to());
        update.setParameter(2, move.from());
        for (int i = 0; i < ids.size(); i++) {
            update.setParameter(i + 3, ids.get(i));
        }
        int moved = update.executeUpdate();
        if (moved != rows.size()) {
            LOG.fine(() -> "leases of " + rows.size() + " deliveries not extended, " + moved + " moved; another"
                    + " instance took some over: the sweeper hands them out again");
            return false;
        }
        return true;
    }

    /** What taking a delivery reads of its row. */
    record Row(String id, String status, Long claimedUntil, Long nextAttemptAt, String targetId, String eventId,
               String eventType, int series, int attemptCount) {

        static Row of(Object[] c) {
            return new Row((String) c[0], (String) c[1], asLong(c[2]), asLong(c[3]), (String) c[4], (String) c[5],
                    (String) c[6], ((Number) c[7]).intValue(), ((Number) c[8]).intValue());
        }

        static Row of(Delivery d) {
            return new Row(d.getId(), d.getStatus().wireName(), d.getClaimedUntil(), d.getNextAttemptAt(), d.getTargetId(),
                    d.getEventId(), d.getEventType(), d.getSeries(), d.getAttemptCount());
        }

        private static Long asLong(Object value) {
            return value == null ? null : ((Number) value).longValue();
        }
    }

    /**
     * Runs {@code select + " (?, ?, …)"} with the ids, their count padded to a power of two (repeating
     * the last), so the database sees a handful of statements and keeps them prepared.
     */
    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String select, Stream<String> ids) {
        List<String> values = padded(ids);
        var query = em.createNativeQuery(select + " (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")");
        for (int i = 0; i < values.size(); i++) {
            query.setParameter(i + 1, values.get(i));
        }
        return query.getResultList();
    }

    /** The ids, their count padded to a power of two by repeating the last. */
    private static List<String> padded(Stream<String> ids) {
        List<String> values = new ArrayList<>(ids.toList());
        int size = values.size() <= 1 ? 1 : Integer.highestOneBit(values.size() - 1) << 1;
        while (values.size() < size) {
            values.add(values.get(values.size() - 1));
        }
        return values;
    }

    /**
     * Takes a delivery whose message carries no lease (sent by a version before leases): a conditional
     * update decides, so two instances never send it in parallel.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Claim claim(String deliveryId) {
        long now = clock.millis();
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery == null) {
            return null;
        }
        WebhookTarget target = em.find(WebhookTarget.class, delivery.getTargetId());
        if (!target.isEnabled()) {
            return null;
        }
        long until = deliveries.leaseUntil(now, target.getTimeoutMs());
        int taken = em.createQuery("UPDATE Delivery d SET d.claimedUntil = :until WHERE d.id = :id"
                        + " AND d.status = :pending AND (d.claimedUntil IS NULL OR d.claimedUntil < :now)"
                        + " AND d.nextAttemptAt <= :due")
                .setParameter("until", until)
                .setParameter("id", deliveryId)
                .setParameter("pending", DeliveryStatus.PENDING.wireName())
                .setParameter("now", now)
                .setParameter("due", now + DUE_TOLERANCE_MS)
                .executeUpdate();
        if (taken == 0) {
            return null;
        }
        em.refresh(delivery);
        return claimOf(Row.of(delivery), until, target, em.find(Event.class, delivery.getEventId()).getBody(), now);
    }

    private Claim claimOf(Row delivery, long leaseUntil, WebhookTarget target, String body, long now) {
        return new Claim(delivery.id(), leaseUntil, delivery.series(), delivery.attemptCount() + 1,
                delivery.eventId(), delivery.eventType(), body.getBytes(StandardCharsets.UTF_8), target.getId(),
                URI.create(target.getUrl()), target.getTimeoutMs(), targets.secretOf(target),
                targets.previousSecretOf(target, now), targets.headersOf(target), target.getInitialBackoffMs(),
                target.getMaxBackoffMs(),
                target.getConsecutiveFailures() >= FAILING_AFTER);
    }

    private boolean changeLease(String deliveryId, long from, Long to) {
        return em.createQuery("UPDATE Delivery d SET d.claimedUntil = :to WHERE d.id = :id AND d.claimedUntil = :from")
                .setParameter("to", to)
                .setParameter("id", deliveryId)
                .setParameter("from", from)
                .executeUpdate() == 1;
    }

    /**
     * Records attempts in one transaction, in order: each gets its attempt row, its delivery moves on
     * (succeeded, retry later, or failed) and its target's health is updated. An outcome whose lease
     * was taken over meanwhile (it outlived its lease) is logged and left out: the new holder sends it.
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
        for (OutcomeWriter.Entry entry : entries) {
            results.add(record(deliveries.get(entry.claim().deliveryId()), entry.claim(), entry.outcome(), now,
                    targetHealthy));
        }
        List<String> succeeded = targetHealthy.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        if (!succeeded.isEmpty()) {
            targetHealth.succeeded(succeeded, now);
        }
        return results;
    }

    private Recorded record(Delivery delivery, Claim claim, Outcome outcome, long now,
                            Map<String, Boolean> targetHealthy) {
        if (delivery == null || delivery.getStatus() != DeliveryStatus.PENDING
                || !Objects.equals(delivery.getClaimedUntil(), claim.leaseUntil())) {
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
        boolean nearTerm = next != null && next - now <= NEAR_TERM_MS;
        Long lease = nearTerm ? deliveries.leaseUntil(next, claim.timeoutMs()) : null;
        String error = storable(outcome.describeFailure());
        delivery.failed(outcome.statusCode(), error, next, lease, now);
        targetHealth.failed(claim.targetId(), error, now, outcome.statusCode() != null && outcome.statusCode() == 410);
        return new Recorded(next, nearTerm ? new Lease(claim.deliveryId(), lease) : null);
    }

    /**
     * What a receiver answered or an error said, fit for any database: without control characters
     * (PostgreSQL refuses a NUL in text, and an outcome it cannot store would have its delivery sent
     * again forever) and within the columns' 1,000 characters.
     */
    static String storable(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder(Math.min(s.length(), MAX_STORED_CHARS));
        for (int i = 0; i < s.length() && kept.length() < MAX_STORED_CHARS; i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r' || !Character.isISOControl(c)) {
                kept.append(c);
            }
        }
        // A cut between the halves of a surrogate pair would leave half a character.
        int end = kept.length();
        if (end > 0 && Character.isHighSurrogate(kept.charAt(end - 1))) {
            kept.setLength(end - 1);
        }
        return kept.toString();
    }
}
