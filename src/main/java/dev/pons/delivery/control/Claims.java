package dev.pons.delivery.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.platform.control.IdList;
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

    /** The persistence unit's data source, enlisted in the same JTA transaction as {@link #em}. */
    @Resource(lookup = "jdbc/pons")
    DataSource database;

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
     * Two id-list queries and a find per target for the lot, and usually no write: the leases were
     * taken when the deliveries were queued. The queries are plain JDBC ({@link #rows}): JPQL with an
     * id list is translated anew for each call.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Claim> take(List<Lease> held) {
        long now = clock.millis();
        Map<String, Row> found = new HashMap<>();
        for (Object[] columns : rows("SELECT id, status, leased_until, next_attempt_at, target_id, event_id,"
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
        for (String targetId : due.stream().map(Row::targetId).distinct().toList()) {
            targetsById.put(targetId, em.find(WebhookTarget.class, targetId));
        }
        Map<String, String> bodies = new HashMap<>();
        for (Object[] columns : rows("SELECT id, body FROM event WHERE id IN", 2, due.stream().map(Row::eventId).distinct().toList())) {
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

    /**
     * The first {@code columns} columns of {@code select + " (?, …)"} for the ids. Plain JDBC: this runs
     * for every queue message, and a Hibernate native query asks the driver for the result's metadata
     * each time to type columns the caller already knows.
     */
    private List<Object[]> rows(String select, int columns, List<String> ids) {
        List<String> values = IdList.padded(ids);
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(select + " " + IdList.placeholders(values.size()))) {
            for (int i = 0; i < values.size(); i++) {
                statement.setString(i + 1, values.get(i));
            }
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Object[] row = new Object[columns];
                    for (int column = 0; column < columns; column++) {
                        row[column] = result.getObject(column + 1);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new PersistenceException("reading " + ids.size() + " rows failed", e);
        }
    }
}
