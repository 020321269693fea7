package dev.pons.delivery.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;


import dev.pons.accounts.entity.Account;
import dev.pons.delivery.entity.Delivery;
import dev.pons.delivery.entity.DeliveryAttempt;
import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.events.control.EventRecorded;
import dev.pons.events.control.Events;
import dev.pons.events.entity.Event;
import dev.pons.events.entity.EventType;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Ids;
import dev.pons.platform.control.Sql;
import dev.pons.targets.control.TargetDeleted;
import dev.pons.targets.control.TargetFilters;
import dev.pons.targets.entity.WebhookTarget;

/**
 * The delivery rows: created by fan-out, restarted by retry and replay, read by the API. Handing them
 * out again is {@link HandOut}'s, the attempt {@link DeliveryWorker}'s.
 */
@ApplicationScoped
public class Deliveries {

    @PersistenceContext
    EntityManager em;

    @Inject
    DeliveryQueue queue;

    @Inject
    Events events;

    @Inject
    TargetFilters filters;

    @Inject
    Clock clock;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    Leases leases;

    @Inject
    Lanes lanes;

    @Inject
    Lines lines;

    @Inject
    HandOut handOut;

    @Inject
    Sql sql;

    /**
     * One delivery per enabled target that subscribes to the event and whose payload filter it passes,
     * in the transaction that recorded it. Those this instance has room for are leased and queued once
     * that commits; the others, and all of a target whose circuit is open, wait in the database for a
     * refill, the sweeper or the probe. A FIFO target's delivery lines up behind what it has pending;
     * its line gets a head, if it has none, once this commits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void fanOut(@Observes EventRecorded recorded) {
        Event event = recorded.event();
        long now = clock.millis();
        List<WebhookTarget> targets = enabledTargets(event.getAccountId());
        List<Delivery> created = new ArrayList<>();
        List<String> linedUp = new ArrayList<>();
        List<String> parked = new ArrayList<>();
        JsonObject envelope = null;
        for (WebhookTarget target : targets) {
            if (!target.subscribes(event.getType(), event.getPhoneNumberId())) {
                continue;
            }
            if (filters.hasFilter(target)) {
                envelope = envelope != null ? envelope : recorded.envelope();
                if (!filters.matches(target, envelope)) {
                    continue;
                }
            }
            if (target.isFifo()) {
                Delivery inLine = create(event, target, now, null);
                inLine.waitInLine(lines.nextPlace());
                insertOnCommit(inLine);
                linedUp.add(target.getId());
                continue;
            }
            boolean goesNow = target.getNextProbeAt() == null && lanes.tryReserve(target.getId(), target.getAccountId(),
                    target.getRateLimitPerSecond());
            Delivery delivery = create(event, target, now, goesNow ? leases.until(now, target.getTimeoutMs()) : null);
            insertOnCommit(delivery);
            if (goesNow) {
                created.add(delivery);
            } else if (target.getNextProbeAt() == null) {
                parked.add(target.getId());
            }
        }
        queue.afterCommit(created.stream().map(Deliveries::leaseOf).toList());
        lines.promoteAfterCommit(linedUp);
        handOut.parkedAfterCommit(event.getAccountId(), parked);
    }

    /**
     * A deleted target's deliveries go with its row (the database's cascade); their attempts go here, as
     * no key ties an attempt to its delivery. The deliveries are locked first: an outcome being recorded
     * for one of them meanwhile then either commits before its attempt is deleted here, or finds its
     * delivery gone and records nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void targetDeleted(@Observes TargetDeleted deleted) {
        em.createNativeQuery("UPDATE delivery SET updated_at = ?1 WHERE target_id = ?2")
                .setParameter(1, clock.millis())
                .setParameter(2, deleted.targetId())
                .executeUpdate();
        em.createNativeQuery("DELETE FROM delivery_attempt WHERE delivery_id IN (SELECT id FROM delivery WHERE target_id = ?1)")
                .setParameter(1, deleted.targetId())
                .executeUpdate();
    }

    /**
     * The account's enabled targets, read once per transaction: a Meta webhook of 50 events would
     * otherwise ask 50 times. Nothing in an ingest transaction changes targets, so the query need
     * not flush the events and deliveries written so far (which would re-check every one of them).
     */
    @SuppressWarnings("unchecked")
    private List<WebhookTarget> enabledTargets(String accountId) {
        String key = "pons.enabledTargets:" + accountId;
        List<WebhookTarget> targets = (List<WebhookTarget>) transactions.getResource(key);
        if (targets == null) {
            targets = em.createNamedQuery(WebhookTarget.ENABLED_OF_ACCOUNT, WebhookTarget.class)
                    .setParameter("accountId", accountId)
                    .setFlushMode(FlushModeType.COMMIT)
                    .getResultList();
            transactions.putResource(key, targets);
        }
        return targets;
    }

    /**
     * Stores a sample event and its one delivery to this target, committed before the attempt, leased
     * to the caller so that the sweeper leaves it alone meanwhile. A FIFO target's test delivery goes
     * beside its line, once: a failed test must not hold up the line with retries.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Lease createTest(String accountId, String targetId) {
        WebhookTarget target = em.find(WebhookTarget.class, targetId);
        EventType type = EventType.ofWireName(target.getEvents().get(0)).orElse(EventType.MESSAGE_INBOUND_RECEIVED);
        long now = clock.millis();
        String phone = target.getPhoneNumberIds().isEmpty() ? null : target.getPhoneNumberIds().get(0);
        Event event = events.recordUnannounced(accountId, type, phone, TestSends.sample(type, phone, now), now);
        Delivery test = create(event, target, now, leases.until(now, target.getTimeoutMs()));
        if (target.isFifo()) {
            test.attemptOnlyOnce();
        }
        insertOnCommit(test);
        return leaseOf(test);
    }

    private static Delivery create(Event event, WebhookTarget target, long now, Long leaseUntil) {
        return new Delivery(Ids.next("dlv", now), event.getId(), target.getId(), event.getAccountId(),
                event.getType(), target.getMaxAttempts(), now, leaseUntil);
    }

    private void insertOnCommit(Delivery delivery) {
        AfterCommit.collector(transactions, NewDeliveries.class, () -> new NewDeliveries(sql)).add(delivery);
    }

    private static Lease leaseOf(Delivery delivery) {
        return new Lease(delivery.getId(), delivery.getLeasedUntil());
    }

    public Delivery find(Account account, String deliveryId) {
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery == null || !delivery.getAccountId().equals(account.getId())) {
            throw DomainException.notFound("delivery " + deliveryId);
        }
        return delivery;
    }

    public List<DeliveryAttempt> attempts(Delivery delivery) {
        return em.createQuery("SELECT a FROM DeliveryAttempt a WHERE a.deliveryId = :id ORDER BY a.startedAt, a.series,"
                        + " a.number", DeliveryAttempt.class)
                .setParameter("id", delivery.getId())
                .getResultList();
    }

    public List<Delivery> ofTarget(WebhookTarget target, DeliveryStatus status, int limitPlusOne, String cursor) {
        String jpql = "SELECT d FROM Delivery d WHERE d.targetId = :targetId"
                + (status != null ? " AND d.status = :status" : "")
                + (cursor != null ? " AND d.id < :cursor" : "")
                + " ORDER BY d.id DESC";
        var query = em.createQuery(jpql, Delivery.class)
                .setParameter("targetId", target.getId())
                .setMaxResults(limitPlusOne);
        if (status != null) {
            query.setParameter("status", status.wireName());
        }
        if (cursor != null) {
            query.setParameter("cursor", cursor);
        }
        return query.getResultList();
    }

    /**
     * Deliver again now: a new attempt series with the target's current policy, same delivery id. For a
     * FIFO target: at the end of its line, and not while it is still pending in it (it goes in its turn).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Delivery retry(Delivery delivery, WebhookTarget target) {
        long now = clock.millis();
        if (target.isFifo()) {
            if (delivery.getStatus() == DeliveryStatus.PENDING) {
                throw DomainException.conflict("delivery " + delivery.getId() + " is pending in its target's FIFO line;"
                        + " it is delivered in its turn");
            }
            delivery.restart(target.getMaxAttempts(), now, null);
            delivery.waitInLine(lines.nextPlace());
            lines.promoteAfterCommit(List.of(target.getId()));
            return delivery;
        }
        delivery.restart(target.getMaxAttempts(), now, leases.until(now, target.getTimeoutMs()));
        queue.afterCommit(List.of(leaseOf(delivery)));
        return delivery;
    }

    /**
     * Restarts the target's deliveries created in [since, until) with that status (all finished ones if
     * none); without {@code until}, up to now. At most {@code max}, oldest first. A FIFO target's
     * line takes them at its end in that order; its pending deliveries keep their places.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int replay(WebhookTarget target, long since, Long until, DeliveryStatus status, int max) {
        long now = clock.millis();
        String jpql = "SELECT d FROM Delivery d WHERE d.targetId = :targetId AND d.createdAt >= :since"
                + " AND d.createdAt < :until AND " + (status != null ? "d.status = :status" : "d.status <> :pending")
                + " ORDER BY d.id";
        var query = em.createQuery(jpql, Delivery.class)
                .setParameter("targetId", target.getId())
                .setParameter("since", since)
                .setParameter("until", until != null ? until : now + 1)
                .setMaxResults(max);
        if (status != null) {
            query.setParameter("status", status.wireName());
        } else {
            query.setParameter("pending", DeliveryStatus.PENDING.wireName());
        }
        List<Delivery> matching = query.getResultList();
        if (target.isFifo()) {
            matching = matching.stream().filter(delivery -> delivery.getStatus() != DeliveryStatus.PENDING).toList();
        }
        // Unleased: they are handed out as the target has room, oldest first, by the sweeper.
        for (Delivery delivery : matching) {
            delivery.restart(target.getMaxAttempts(), now, null);
            if (target.isFifo()) {
                delivery.waitInLine(lines.nextPlace());
            }
        }
        if (target.isFifo()) {
            lines.promoteAfterCommit(List.of(target.getId()));
        }
        return matching.size();
    }
}
