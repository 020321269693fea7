package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.platform.control.GroupCommit;
import dev.pons.targets.control.TargetHealth;
import dev.pons.targets.entity.WebhookTarget;

/**
 * Hands deliveries waiting in the database to the queue, per target, as many as this instance has
 * room for ({@link Lanes#reserveRoom}): retries whose time came, deliveries parked for want of room, those of
 * a target whose circuit closed, leases that lapsed with a lost message or a dead instance. A failing
 * target gets one delivery, its probe, when its circuit's probe time has come, and nothing else. The
 * conditional updates of {@link Leases} and {@link TargetHealth#takeProbe} let several instances do
 * this side by side.
 */
@ApplicationScoped
public class HandOut {

    private static final Logger LOG = Logger.getLogger(HandOut.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    Leases leases;

    @Inject
    Lanes lanes;

    @Inject
    TargetHealth targetHealth;

    @Inject
    DeliveryQueue queue;

    @Inject
    Lines lines;

    @Inject
    Clock clock;

    /** This bean through its proxy: calls to it get their own transactions. */
    @Inject
    HandOut self;

    @Resource
    ManagedThreadFactory threadFactory;

    @Resource
    TransactionSynchronizationRegistry transactions;

    static final int MAX_REFILLS = 100;

    final GroupCommit<String> refills = new GroupCommit<>(MAX_REFILLS, targetId -> 1, MAX_REFILLS,
            this::refillTogether,
            // Shutting down: the sweeper of whichever instance is left hands their deliveries out.
            (targetId, refused) -> { });

    @PostConstruct
    void init() {
        refills.runOn(Executors.newSingleThreadExecutor(threadFactory));
    }

    @PreDestroy
    void close() {
        refills.stop();
    }

    /** What the sweep needs of a target with due deliveries. */
    public record Due(String targetId, String accountId, int timeoutMs, Long nextProbeAt, Integer ratePerSecond) {
    }

    /**
     * One pass over the targets that have due deliveries nobody holds: an index lookup per target, so
     * a backlog waiting behind an open circuit costs nothing here. Each target is handed out in a
     * transaction of its own: two instances sweeping at once, each in its own order, would otherwise
     * lock each other's rows in opposite orders and the database would roll one sweep back whole.
     * Returns how many were handed out.
     */
    // While the database or broker is away, stop hammering it every second; the sweep resumes by itself.
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 1.0, delay = 5_000)
    public int sweep() {
        List<Due> due = self.dueTargets(clock.millis());
        // Whoever comes first when room is short should not always be the same target.
        Collections.shuffle(due);
        int handed = 0;
        for (Due target : due) {
            handed += self.handOut(target);
        }
        for (String targetId : lines.headless()) {
            lines.promote(targetId);
        }
        return handed;
    }

    /** The enabled targets with due deliveries that nobody holds, and whose circuit lets one out. */
    @Transactional
    public List<Due> dueTargets(long now) {
        List<Due> due = new ArrayList<>();
        for (Object[] row : em.createQuery("SELECT t.id, t.accountId, t.timeoutMs, t.nextProbeAt, t.rateLimitPerSecond"
                        + " FROM WebhookTarget t"
                        + " WHERE t.enabled = TRUE AND (t.nextProbeAt IS NULL OR t.nextProbeAt <= :now)"
                        + " AND EXISTS (SELECT d.id FROM Delivery d WHERE d.targetId = t.id AND d.status = :pending"
                        + " AND d.nextAttemptAt <= :now AND (d.leasedUntil IS NULL OR d.leasedUntil < :now))", Object[].class)
                .setParameter("now", now)
                .setParameter("pending", DeliveryStatus.PENDING.wireName())
                .getResultList()) {
            due.add(new Due((String) row[0], (String) row[1], ((Number) row[2]).intValue(), (Long) row[3], (Integer) row[4]));
        }
        return due;
    }

    /** One target's share of a sweep, in its own transaction. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int handOut(Due target) {
        return handOut(target, clock.millis());
    }

    /**
     * Asks for more of the target's waiting deliveries, now that this instance has room for them again.
     * Refills asked for while one is written go together: see {@link #refillAll}.
     */
    public void refillSoon(String targetId) {
        refills.add(targetId);
    }

    /**
     * Once the caller's transaction commits, the targets' deliveries it parked are in the database for
     * refills to find: a refill asked for meanwhile could not see them, and would otherwise leave them to
     * the sweeper.
     */
    public void parkedAfterCommit(String accountId, Collection<String> targetIds) {
        if (targetIds.isEmpty()) {
            return;
        }
        Parked parked = AfterCommit.collector(transactions, Parked.class, Parked::new);
        for (String targetId : targetIds) {
            parked.accountOf.put(targetId, accountId);
        }
    }

    /** Runs on the committing thread: signals the lanes, and leaves any refill to the refill writer's thread. */
    private final class Parked implements Synchronization {

        final Map<String, String> accountOf = new LinkedHashMap<>();

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                accountOf.forEach((targetId, accountId) -> {
                    if (lanes.parked(targetId, accountId)) {
                        refillSoon(targetId);
                    }
                });
            }
        }
    }

    private void refillTogether(List<String> targetIds) {
        try {
            self.refillAll(targetIds);
        } catch (RuntimeException together) {
            LOG.log(Level.FINE, "refill of " + targetIds.size() + " targets failed; one by one", together);
            for (String targetId : targetIds) {
                try {
                    self.refillAll(List.of(targetId));
                } catch (RuntimeException e) {
                    // Its deliveries wait for the sweeper.
                    LOG.log(Level.FINE, "no refill for " + targetId + " now", e);
                }
            }
        }
    }

    /**
     * More of these targets' waiting deliveries, in one transaction. The deliveries parked for several
     * targets lie in the same pages of the delivery table (a fan-out writes them side by side), and a
     * commit rewrites every page it changed: ten targets' refills in one commit write those pages once.
     * Targets go in one order on every instance, so two refills lock their rows in the same order.
     */
    @Transactional
    public void refillAll(List<String> targetIds) {
        for (String targetId : targetIds.stream().distinct().sorted().toList()) {
            refill(targetId);
        }
    }

    private void refill(String targetId) {
        WebhookTarget target = em.find(WebhookTarget.class, targetId);
        if (target == null || !target.isEnabled() || target.getNextProbeAt() != null) {
            // Nothing to refill from here: the sweeper covers a circuit's probe.
            lanes.handedOut(targetId, target == null ? "" : target.getAccountId(), 0, 0, false);
            return;
        }
        handOut(new Due(target.getId(), target.getAccountId(), target.getTimeoutMs(), null, target.getRateLimitPerSecond()),
                clock.millis());
    }

    private int handOut(Due target, long now) {
        int room = lanes.reserveRoom(target.targetId(), target.accountId(), target.ratePerSecond());
        if (room == 0) {
            // Fan-outs took the room a refill was asked for: the next delivery done may ask again. Left
            // asked, the lane would wait for the sweeper while its deliveries pile up in the database.
            lanes.handedOut(target.targetId(), target.accountId(), 0, 0, true);
            return 0;
        }
        long until = leases.until(now, target.timeoutMs());
        List<Lease> taken = List.of();
        boolean more = false;
        try {
            if (target.nextProbeAt() == null) {
                taken = leases.handOut(target.targetId(), room, now, until);
                more = taken.size() == room;
            } else if (targetHealth.takeProbe(target.targetId(), target.nextProbeAt(), until)) {
                // The rest wait for the probe's outcome: a success closes the circuit, and the next sweep brings them.
                taken = leases.handOut(target.targetId(), 1, now, until);
            }
        } finally {
            lanes.handedOut(target.targetId(), target.accountId(), room, taken.size(), more);
        }
        queue.afterCommit(taken);
        return taken.size();
    }

    /** Sends leases held already (a retry timed in memory) to the queue. */
    public void queue(List<Lease> leases) {
        queue.send(leases);
    }
}
