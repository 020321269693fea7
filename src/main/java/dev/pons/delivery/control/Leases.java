package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.platform.control.Sql;

/**
 * Leases in the database ({@code delivery.leased_until}): how long they last, and every statement
 * that takes, extends or gives one back. A lease is taken when a delivery is handed to the queue and
 * held through its attempt; a lease left to lapse (a lost message, a dead instance) makes the
 * delivery due again for the sweeper. Conditional updates decide who holds one, so several instances
 * never attempt the same delivery at once.
 */
@ApplicationScoped
public class Leases {

    private static final String PENDING = DeliveryStatus.PENDING.wireName();

    @Inject
    Sql sql;

    /** How long a lease outlasts its target's timeout: a message may wait this long in the queue. */
    @Inject
    @ConfigProperty(name = "pons.delivery.lease-grace-ms")
    long graceMs;

    /** Until when a lease taken at {@code from} holds: long enough to wait in the queue and POST. */
    public long until(long from, int timeoutMs) {
        return from + timeoutMs + graceMs;
    }

    /**
     * Takes up to {@code max} of the target's due deliveries that nobody holds, oldest first, leased
     * until {@code until}: a query and one batch of conditional updates, whatever their number.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Lease> handOut(String targetId, int max, long now, long until) {
        List<String> due = ids(sql.rows("SELECT id FROM delivery WHERE target_id = ? AND status = ?"
                        + " AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until < ?)"
                        // The index's own column order: H2 then reads the index in order and stops at max rows;
                        // ordered by next_attempt_at alone it sorts all of a target's due rows first.
                        + " ORDER BY target_id, status, next_attempt_at FETCH FIRST ? ROWS ONLY", 1,
                targetId, PENDING, now, now, max));
        // Row by row, so that the driver's counts say which rows this hand-out moved: another hand-out that
        // read the same rows may have leased some of them first, in the same millisecond and so with the
        // same end, and a row's lease end cannot tell the two apart.
        return sql.updateEach("UPDATE delivery SET leased_until = ? WHERE status = ? AND (leased_until IS NULL"
                + " OR leased_until < ?) AND id = ?", due, until, PENDING, now).stream()
                .map(id -> new Lease(id, until)).toList();
    }

    /**
     * Moves leases that share one end to a later end, with one statement. True only if every row
     * still had the lease; otherwise another instance took some over once they expired, which rows
     * moved is unknown, and none of them may be sent from here (those moved are due again after it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean extend(List<String> ids, long from, long to) {
        return sql.updateIn("UPDATE delivery SET leased_until = ? WHERE leased_until = ? AND id IN", ids, to, from) == ids.size();
    }

    /**
     * Gives leases back without an attempt, in a transaction of its own: the deliveries wait in the
     * database, due as they were, until a sweep or a refill hands them out again.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(List<Lease> leases) {
        releaseHere(leases);
    }

    /** As {@link #release}, in the caller's transaction. One statement per lease end. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void releaseHere(List<Lease> leases) {
        Map<Long, List<String>> byEnd = leases.stream()
                .collect(Collectors.groupingBy(Lease::until, Collectors.mapping(Lease::deliveryId, Collectors.toList())));
        byEnd.forEach((until, ids) -> sql.updateIn("UPDATE delivery SET leased_until = NULL WHERE leased_until = ? AND id IN",
                ids, until));
    }

    private static List<String> ids(List<Object[]> rows) {
        return rows.stream().map(row -> (String) row[0]).toList();
    }
}
