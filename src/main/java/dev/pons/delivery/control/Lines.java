package dev.pons.delivery.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.pons.delivery.entity.Delivery;
import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.targets.control.OrderingChanged;
import dev.pons.targets.entity.WebhookTarget;

/**
 * The lines of FIFO targets. Such a target has at most one delivery that may be attempted, the head of
 * its line; the others wait behind it ({@link Delivery#waitInLine}) in the order Pons accepted their
 * events, and are not due whatever the clock says. The head goes through retries, backoff and the
 * circuit like any delivery; once it has succeeded or finally failed, the next in line becomes the
 * head, in the same transaction. All of it is in the database, so a line keeps its order through a
 * crash, a broker restart or another instance taking over; the target's row lock makes the instances
 * agree on one head.
 */
@ApplicationScoped
public class Lines {

    private static final Logger LOG = Logger.getLogger(Lines.class.getName());

    private static final String PENDING = DeliveryStatus.PENDING.wireName();

    /** Places per millisecond: places are the time, shifted, counted up within the millisecond. */
    private static final int PLACES_PER_MS_BITS = 12;

    @PersistenceContext
    EntityManager em;

    @Inject
    Leases leases;

    @Inject
    DeliveryQueue queue;

    @Inject
    Clock clock;

    /** This bean through its proxy: calls to it get their own transactions. */
    @Inject
    Lines self;

    @Resource
    ManagedExecutorService executor;

    @Resource
    TransactionSynchronizationRegistry transactions;

    private final AtomicLong lastPlace = new AtomicLong();

    /** Targets whose line this instance is about to give a head: one promotion each is enough. */
    private final Set<String> promotionsAsked = ConcurrentHashMap.newKeySet();

    /**
     * A place behind everything this instance has put in a line so far; across instances places follow
     * the clock, so a webhook accepted a millisecond later lines up later.
     */
    public long nextPlace() {
        long floor = clock.millis() << PLACES_PER_MS_BITS;
        return lastPlace.updateAndGet(last -> Math.max(last + 1, floor));
    }

    /** A head for each of these lines, if it has none, once the caller's transaction has committed. */
    public void promoteAfterCommit(Collection<String> targetIds) {
        if (targetIds.isEmpty()) {
            return;
        }
        AfterCommit.collector(transactions, Promotions.class, Promotions::new).targetIds.addAll(targetIds);
    }

    /**
     * Gives the target's line a head if it has none, in a transaction of its own; the head goes to the
     * queue once that commits.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean promote(String targetId) {
        long now = clock.millis();
        if (!promotes(targetId, now)) {
            return false;
        }
        Lease head = leaseHead(targetId, now);
        if (head != null) {
            queue.afterCommit(List.of(head));
        }
        return true;
    }

    /**
     * Gives the target's line a head if it has none, in the caller's transaction: the one that finished
     * the previous head. Returns the new head's lease when it may be attempted at once (the caller
     * attempts it after the commit, without a trip through the queue); null when there is none, or its
     * target is disabled or behind an open circuit (then the sweeper takes it in its time).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Lease promoteHere(String targetId, long now) {
        return promotes(targetId, now) ? leaseHead(targetId, now) : null;
    }

    /**
     * Under the target's row lock: if its line has no head, the first in line becomes it, due now.
     * False when nothing changed.
     */
    private boolean promotes(String targetId, long now) {
        em.flush();
        @SuppressWarnings("unchecked")
        List<Object> ordering = em.createNativeQuery("SELECT ordering FROM webhook_target WHERE id = ? FOR UPDATE")
                .setParameter(1, targetId)
                .getResultList();
        if (ordering.isEmpty() || !WebhookTarget.FIFO.equals(ordering.get(0)) || head(targetId) != null) {
            return false;
        }
        String next = firstInLine(targetId);
        if (next == null) {
            return false;
        }
        em.createNativeQuery("UPDATE delivery SET next_attempt_at = ?, updated_at = ? WHERE id = ?")
                .setParameter(1, now)
                .setParameter(2, now)
                .setParameter(3, next)
                .executeUpdate();
        return true;
    }

    /** Leases the new head, unless its target is disabled or its circuit open. */
    private Lease leaseHead(String targetId, long now) {
        String head = head(targetId);
        Object[] target = (Object[]) em.createNativeQuery("SELECT enabled, next_probe_at, timeout_ms FROM webhook_target"
                        + " WHERE id = ?")
                .setParameter(1, targetId)
                .getSingleResult();
        if (head == null || !Boolean.TRUE.equals(target[0]) || target[1] != null) {
            return null;
        }
        long until = leases.until(now, ((Number) target[2]).intValue());
        em.createNativeQuery("UPDATE delivery SET leased_until = ? WHERE id = ?")
                .setParameter(1, until)
                .setParameter(2, head)
                .executeUpdate();
        return new Lease(head, until);
    }

    /** The line's head: its one pending delivery that is not waiting in line; null for none. */
    public String head(String targetId) {
        return firstPending(targetId, "next_attempt_at < ?");
    }

    private String firstInLine(String targetId) {
        return firstPending(targetId, "next_attempt_at >= ?");
    }

    /** The target's first pending delivery, in index order, whose next attempt compares so with {@link Delivery#IN_LINE}. */
    private String firstPending(String targetId, String nextAttempt) {
        @SuppressWarnings("unchecked")
        List<String> ids = em.createNativeQuery("SELECT id FROM delivery WHERE target_id = ? AND status = ? AND "
                        + nextAttempt + " ORDER BY target_id, status, next_attempt_at")
                .setParameter(1, targetId)
                .setParameter(2, PENDING)
                .setParameter(3, Delivery.IN_LINE)
                .setMaxResults(1)
                .getResultList();
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** A line as the API shows it: its head, why the head has not gone yet, how many wait behind it. */
    public record Line(Delivery head, String state, long waiting) {
    }

    /**
     * The target's line now. {@code state}: {@code unordered} (the target has no line); {@code empty};
     * {@code in_flight} (the head is being
     * attempted or on its way to it); {@code retry_scheduled} (the head failed and waits for its next
     * attempt); {@code circuit_open} (the target is failing and the head waits for its probe time);
     * {@code paused} (the target is disabled); {@code due} (the head goes as soon as this instance has room).
     */
    public Line line(WebhookTarget target) {
        if (!target.isFifo()) {
            return new Line(null, "unordered", 0);
        }
        long now = clock.millis();
        String headId = head(target.getId());
        Delivery head = headId == null ? null : em.find(Delivery.class, headId);
        long waiting = waiting(target.getId());
        String state;
        if (head == null) {
            state = waiting == 0 ? "empty" : "due";
        } else if (!target.isEnabled()) {
            state = "paused";
        } else if (head.getLeasedUntil() != null && head.getLeasedUntil() >= now && head.getNextAttemptAt() <= now) {
            state = "in_flight";
        } else if (target.getNextProbeAt() != null) {
            state = "circuit_open";
        } else if (head.getNextAttemptAt() > now) {
            state = "retry_scheduled";
        } else {
            state = "due";
        }
        return new Line(head, state, waiting);
    }

    /** How many wait behind the head. */
    public long waiting(String targetId) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM delivery WHERE target_id = ? AND status = ?"
                        + " AND next_attempt_at >= ?")
                .setParameter(1, targetId)
                .setParameter(2, PENDING)
                .setParameter(3, Delivery.IN_LINE)
                .getSingleResult()).longValue();
    }

    /**
     * FIFO targets whose line has no head: an instance died between a commit and the promotion it
     * owed. Two index probes per FIFO target.
     */
    @Transactional
    public List<String> headless() {
        return em.createQuery("SELECT t.id FROM WebhookTarget t WHERE t.ordering = :fifo"
                        + " AND EXISTS (SELECT d.id FROM Delivery d WHERE d.targetId = t.id AND d.status = :pending"
                        + " AND d.nextAttemptAt >= :inLine)"
                        + " AND NOT EXISTS (SELECT d.id FROM Delivery d WHERE d.targetId = t.id AND d.status = :pending"
                        + " AND d.nextAttemptAt < :inLine)", String.class)
                .setParameter("fifo", WebhookTarget.FIFO)
                .setParameter("pending", PENDING)
                .setParameter("inLine", Delivery.IN_LINE)
                .getResultList();
    }

    /**
     * A target switched ordering, in the transaction that switched it. To FIFO: its pending deliveries
     * that are not in flight line up in the order they were created (ids sort so), and the line gets a
     * head once this commits; those in flight finish on their own schedule. To unordered: the line is
     * due at once, side by side.
     */
    void orderingChanged(@Observes OrderingChanged changed) {
        long now = clock.millis();
        if (!changed.fifo()) {
            em.createNativeQuery("UPDATE delivery SET next_attempt_at = ?, updated_at = ? WHERE target_id = ? AND status = ?"
                            + " AND next_attempt_at >= ?")
                    .setParameter(1, now)
                    .setParameter(2, now)
                    .setParameter(3, changed.targetId())
                    .setParameter(4, PENDING)
                    .setParameter(5, Delivery.IN_LINE)
                    .executeUpdate();
            return;
        }
        @SuppressWarnings("unchecked")
        List<String> pending = em.createNativeQuery("SELECT id FROM delivery WHERE target_id = ? AND status = ?"
                        + " AND (leased_until IS NULL OR leased_until < ?) ORDER BY id")
                .setParameter(1, changed.targetId())
                .setParameter(2, PENDING)
                .setParameter(3, now)
                .getResultList();
        for (String id : pending) {
            em.createNativeQuery("UPDATE delivery SET next_attempt_at = ?, updated_at = ? WHERE id = ?")
                    .setParameter(1, Delivery.IN_LINE + nextPlace())
                    .setParameter(2, now)
                    .setParameter(3, id)
                    .executeUpdate();
        }
        promoteAfterCommit(List.of(changed.targetId()));
    }

    private void promoteSoon(String targetId) {
        if (!promotionsAsked.add(targetId)) {
            return;
        }
        try {
            executor.execute(() -> {
                // Asked again from here on: a commit after this point may need its own promotion.
                promotionsAsked.remove(targetId);
                try {
                    self.promote(targetId);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "line of " + targetId + " not given a head now (" + e + "); the sweeper will");
                }
            });
        } catch (RuntimeException e) {
            promotionsAsked.remove(targetId);
            LOG.log(Level.FINE, "no promotion for " + targetId + " now; the sweeper gives its line a head", e);
        }
    }

    /** Runs on the committing thread; the promotions run on the executor's. */
    private final class Promotions implements Synchronization {

        final Set<String> targetIds = new LinkedHashSet<>();

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                targetIds.forEach(Lines.this::promoteSoon);
            }
        }
    }
}
