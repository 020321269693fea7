package dev.pons.delivery.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

import dev.pons.accounts.entity.Account;
import dev.pons.delivery.entity.Delivery;
import dev.pons.delivery.entity.DeliveryAttempt;
import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.events.control.Envelope;
import dev.pons.events.entity.Event;
import dev.pons.events.entity.EventType;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Ids;
import dev.pons.platform.control.Queues;
import dev.pons.targets.entity.WebhookTarget;

/**
 * The delivery rows: created by fan-out, handed to the queue by id, re-driven by the sweeper,
 * restarted by retry and replay. The attempt itself is {@link DeliveryWorker}'s.
 */
@ApplicationScoped
public class Deliveries {

    /** How long an id handed to the queue is left alone by the sweeper. */
    static final long QUEUED_LEASE_MS = 10_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    @JMSConnectionFactory(Queues.CONNECTION_FACTORY)
    JMSContext jms;

    @Resource(lookup = Queues.DELIVERY)
    Queue deliveryQueue;

    @Inject
    @ConfigProperty(name = "pons.delivery.sweep-batch", defaultValue = "500")
    int sweepBatch;

    public int sweepBatch() {
        return sweepBatch;
    }

    /** One delivery per enabled target that subscribes to the event, enqueued in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Delivery> fanOut(Event event) {
        long now = System.currentTimeMillis();
        List<WebhookTarget> targets = em.createNamedQuery(WebhookTarget.ENABLED_OF_ACCOUNT, WebhookTarget.class)
                .setParameter("accountId", event.getAccountId())
                .getResultList();
        List<Delivery> created = new ArrayList<>();
        for (WebhookTarget target : targets) {
            if (target.subscribes(event.getType(), event.getPhoneNumberId())) {
                created.add(create(event, target, now));
            }
        }
        enqueue(created.stream().map(Delivery::getId).toList());
        return created;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    /** Stores a sample event and its one delivery to this target, committed before the attempt. */
    public String createTest(String accountId, String targetId) {
        WebhookTarget target = em.find(WebhookTarget.class, targetId);
        EventType type = EventType.ofWireName(target.getEvents().get(0)).orElse(EventType.MESSAGE_INBOUND_RECEIVED);
        long now = System.currentTimeMillis();
        String id = Ids.next("evt");
        String phone = target.getPhoneNumberIds().isEmpty() ? null : target.getPhoneNumberIds().get(0);
        String body = Envelope.serialise(id, type, now, accountId, TestDeliveries.sample(type, phone, now));
        Event event = new Event(id, accountId, type, phone, null, now, now, "test:" + id, body);
        em.persist(event);
        return create(event, target, now).getId();
    }

    private Delivery create(Event event, WebhookTarget target, long now) {
        Delivery delivery = new Delivery(Ids.next("dlv"), event.getId(), target.getId(), event.getAccountId(),
                event.getType(), target.getMaxAttempts(), now, now + QUEUED_LEASE_MS);
        em.persist(delivery);
        return delivery;
    }

    /** Puts ids on the delivery queue; joins the caller's transaction, so they leave only if it commits. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void enqueue(List<String> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return;
        }
        JMSProducer producer = jms.createProducer().setProperty(Queues.KIND, "delivery");
        for (String id : deliveryIds) {
            producer.send(deliveryQueue, id);
        }
    }

    /**
     * Finds deliveries that are due and not known to be queued (retries whose time has come, ids lost
     * with a crashed instance, claims that expired) and enqueues them. Safe with several instances:
     * the conditional update lets exactly one instance take each row.
     */
    @Transactional
    // While the database or broker is away, stop hammering it every second; the sweep resumes by itself.
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 1.0, delay = 5_000)
    public int sweep() {
        long now = System.currentTimeMillis();
        List<String> due = em.createQuery("SELECT d.id FROM Delivery d, WebhookTarget t WHERE t.id = d.targetId"
                        + " AND t.enabled = TRUE AND d.status = :pending AND d.nextAttemptAt <= :now"
                        + " AND (d.queuedUntil IS NULL OR d.queuedUntil < :now)"
                        + " AND (d.claimedUntil IS NULL OR d.claimedUntil < :now)"
                        + " ORDER BY d.nextAttemptAt", String.class)
                .setParameter("pending", DeliveryStatus.pending)
                .setParameter("now", now)
                .setMaxResults(sweepBatch)
                .getResultList();
        List<String> taken = new ArrayList<>();
        for (String id : due) {
            int updated = em.createQuery("UPDATE Delivery d SET d.queuedUntil = :until WHERE d.id = :id"
                            + " AND (d.queuedUntil IS NULL OR d.queuedUntil < :now)")
                    .setParameter("until", now + QUEUED_LEASE_MS)
                    .setParameter("id", id)
                    .setParameter("now", now)
                    .executeUpdate();
            if (updated == 1) {
                taken.add(id);
            }
        }
        enqueue(taken);
        return taken.size();
    }

    /** Marks an id as queued until its retry time (plus the lease) when a near-term timer holds it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void holdForTimer(String deliveryId, long until) {
        em.createQuery("UPDATE Delivery d SET d.queuedUntil = :until WHERE d.id = :id")
                .setParameter("until", until + QUEUED_LEASE_MS)
                .setParameter("id", deliveryId)
                .executeUpdate();
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
            query.setParameter("status", status);
        }
        if (cursor != null) {
            query.setParameter("cursor", cursor);
        }
        return query.getResultList();
    }

    /** Deliver again now: a new attempt series with the target's current policy, same delivery id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Delivery retry(Delivery delivery, WebhookTarget target) {
        long now = System.currentTimeMillis();
        delivery.restart(target.getMaxAttempts(), now, now + QUEUED_LEASE_MS);
        enqueue(List.of(delivery.getId()));
        return delivery;
    }

    /** Restarts the target's deliveries created in [since, until) with that status (all finished ones if none). */
    @Transactional(Transactional.TxType.MANDATORY)
    public int replay(WebhookTarget target, long since, long until, DeliveryStatus status, int max) {
        String jpql = "SELECT d FROM Delivery d WHERE d.targetId = :targetId AND d.createdAt >= :since"
                + " AND d.createdAt < :until AND " + (status != null ? "d.status = :status" : "d.status <> :pending")
                + " ORDER BY d.id";
        var query = em.createQuery(jpql, Delivery.class)
                .setParameter("targetId", target.getId())
                .setParameter("since", since)
                .setParameter("until", until)
                .setMaxResults(max);
        if (status != null) {
            query.setParameter("status", status);
        } else {
            query.setParameter("pending", DeliveryStatus.pending);
        }
        List<Delivery> matching = query.getResultList();
        long now = System.currentTimeMillis();
        for (Delivery delivery : matching) {
            delivery.restart(target.getMaxAttempts(), now, now + QUEUED_LEASE_MS);
        }
        enqueue(matching.stream().map(Delivery::getId).toList());
        return matching.size();
    }
}
