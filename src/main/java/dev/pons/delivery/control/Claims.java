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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.platform.control.Sql;
import dev.pons.targets.control.JmsDestination;
import dev.pons.targets.control.JmsDestinations;
import dev.pons.targets.control.TargetHealth;
import dev.pons.targets.control.Targets;
import dev.pons.targets.entity.WebhookTarget;

/**
 * The first stage of an attempt: the deliveries a queue message names, taken with the leases it
 * carries. Idempotent: whatever is finished, not yet due, paused with its target or leased to
 * someone else since is left out, so a duplicate message is harmless.
 */
@ApplicationScoped
public class Claims {

    static final long DUE_TOLERANCE_MS = 50;

    /** A held lease must outlast the POST by at least this, or it is extended first. */
    static final long LEASE_MARGIN_MS = 2_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    Sql sql;

    @Inject
    Targets targets;

    @Inject
    Leases leases;

    @Inject
    JmsDestinations jmsDestinations;

    @Inject
    TargetHealth targetHealth;

    @Inject
    Clock clock;

    /** What taking a delivery reads of its row. */
    private record Row(String id, String status, Long leasedUntil, Long nextAttemptAt, String targetId,
                       String eventId, String eventType, int series, int attemptCount) {

        static Row of(Object[] c) {
            return new Row((String) c[0], (String) c[1], asLong(c[2]), asLong(c[3]), (String) c[4], (String) c[5],
                    (String) c[6], ((Number) c[7]).intValue(), ((Number) c[8]).intValue());
        }

        private static Long asLong(Object value) {
            return value == null ? null : ((Number) value).longValue();
        }
    }

    /**
     * Three id-list queries for the lot (rows, targets, bodies), and usually no write: the leases were
     * taken when the deliveries were queued. Rows and bodies are plain columns, read with plain JDBC
     * ({@link Sql}); the targets are entities, loaded with one query rather than a find each.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Claim> take(List<Lease> held) {
        long now = clock.millis();
        Map<String, Row> found = new HashMap<>();
        for (Object[] columns : sql.rowsIn("SELECT id, status, leased_until, next_attempt_at, target_id, event_id,"
                + " event_type, series, attempt_count FROM delivery WHERE id IN", 9, held.stream().map(Lease::deliveryId).toList())) {
            Row row = Row.of(columns);
            found.put(row.id(), row);
        }
        List<Row> due = new ArrayList<>();
        for (Lease lease : held) {
            Row row = found.get(lease.deliveryId());
            if (row != null && DeliveryStatus.PENDING.wireName().equals(row.status())
                    && Objects.equals(row.leasedUntil(), lease.until())
                    && row.nextAttemptAt() != null && row.nextAttemptAt() <= now + DUE_TOLERANCE_MS) {
                due.add(row);
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        Map<String, WebhookTarget> targetsById = new HashMap<>();
        // One query for the lot: a message's deliveries usually go to several targets.
        em.createNamedQuery(WebhookTarget.WITH_IDS, WebhookTarget.class)
                .setParameter("ids", due.stream().map(Row::targetId).distinct().toList())
                .getResultList()
                .forEach(target -> targetsById.put(target.getId(), target));
        Map<String, String> bodies = new HashMap<>();
        for (Object[] columns : sql.rowsIn("SELECT id, body FROM event WHERE id IN", 2, due.stream().map(Row::eventId).distinct().toList())) {
            bodies.put((String) columns[0], (String) columns[1]);
        }
        List<Claim> claims = new ArrayList<>(due.size());
        List<Lease> paused = new ArrayList<>();
        // Sat in the queue for a while: make sure nobody takes them over while the POSTs run.
        Map<List<Long>, List<Row>> toExtend = new HashMap<>();
        for (Row row : due) {
            WebhookTarget target = targetsById.get(row.targetId());
            long until = row.leasedUntil();
            if (!target.isEnabled()) {
                // Paused with its target: it resumes where it was when the target is enabled again.
                paused.add(new Lease(row.id(), until));
            } else if (until - now < target.getTimeoutMs() + LEASE_MARGIN_MS) {
                toExtend.computeIfAbsent(List.of(until, leases.until(now, target.getTimeoutMs())),
                        move -> new ArrayList<>()).add(row);
            } else {
                claims.add(claimOf(row, until, target, target.getNextProbeAt(), bodies.get(row.eventId()), now));
            }
        }
        if (!paused.isEmpty()) {
            leases.releaseHere(paused);
        }
        toExtend.forEach((move, rows) -> {
            // If not every row still had the lease, none is sent from here: see Leases.extend.
            if (leases.extend(rows.stream().map(Row::id).toList(), move.get(0), move.get(1))) {
                rows.forEach(row -> {
                    WebhookTarget target = targetsById.get(row.targetId());
                    // A probe's lease is its target's next_probe_at (Circuit): it moves with the lease, or the
                    // claim would no longer be the probe and wait behind the open circuit it should test.
                    Long nextProbeAt = Circuit.isProbe(target.getNextProbeAt(), move.get(0))
                            && targetHealth.takeProbe(target.getId(), move.get(0), move.get(1))
                            ? move.get(1) : target.getNextProbeAt();
                    claims.add(claimOf(row, move.get(1), target, nextProbeAt, bodies.get(row.eventId()), now));
                });
            }
        });
        return claims;
    }

    /**
     * A target whose secrets do not open (their key left the ring, or a value was altered), or a JMS target
     * whose destination is no longer granted or configured, still gets a claim: its attempt fails visibly
     * with the reason, and the other deliveries taken with it go on.
     */
    private Claim claimOf(Row delivery, long leaseUntil, WebhookTarget target, Long nextProbeAt, String body, long now) {
        String secret = null;
        String previousSecret = null;
        Map<String, String> headers = Map.of();
        String unsendable = null;
        try {
            secret = targets.secretOf(target);
            previousSecret = targets.previousSecretOf(target, now);
            headers = targets.headersOf(target);
        } catch (IllegalStateException unopenable) {
            unsendable = "the target's secrets cannot be opened: " + unopenable.getMessage();
        }
        JmsDestination jms = null;
        if (target.isJms()) {
            try {
                jms = jmsDestinations.forDelivery(target.getAccountId(), target.getJmsDestination());
            } catch (IllegalStateException unusable) {
                unsendable = unusable.getMessage();
            }
        }
        return new Claim(delivery.id(), leaseUntil, delivery.series(), delivery.attemptCount() + 1,
                delivery.eventId(), delivery.eventType(), body.getBytes(StandardCharsets.UTF_8), target.getAccountId(),
                target.getId(), target.getUrl() == null ? null : URI.create(target.getUrl()), target.getTimeoutMs(), secret, previousSecret, headers,
                target.getInitialBackoffMs(), target.getMaxBackoffMs(), nextProbeAt != null,
                Circuit.isProbe(nextProbeAt, leaseUntil), unsendable, target.isFifo(), target.getRateLimitPerSecond(), jms);
    }
}
