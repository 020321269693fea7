package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.delivery.entity.Delivery;
import dev.pons.delivery.entity.DeliveryAttempt;
import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.events.entity.Event;
import dev.pons.platform.control.Ids;
import dev.pons.targets.control.Targets;
import dev.pons.targets.entity.WebhookTarget;

/**
 * The two short transactions around an attempt: claiming the delivery before the POST, recording
 * the outcome after it. The POST itself runs outside any transaction.
 */
@ApplicationScoped
public class Attempts {

    /** Everything the POST needs, read while claiming: no entity crosses the HTTP call. */
    public record Claim(String deliveryId, int series, int attemptNumber, String eventId, String eventType,
                        byte[] body, String targetId, URI url, int timeoutMs, String secret, String previousSecret,
                        long initialBackoffMs, long maxBackoffMs, boolean targetFailing) {
    }

    /** Consecutive failures after which a target gets a single probing attempt at a time. */
    static final int FAILING_AFTER = 3;

    static final long DUE_TOLERANCE_MS = 50;

    @PersistenceContext
    EntityManager em;

    @Inject
    Targets targets;

    @Inject
    @ConfigProperty(name = "pons.delivery.claim-timeout-ms")
    long claimTimeoutMs;

    @Inject
    @ConfigProperty(name = "pons.delivery.disable-after")
    Duration disableAfter;

    /**
     * Takes the right to attempt the delivery now, or returns null when it is finished, not yet due,
     * paused with its target, or claimed by another worker. The conditional update decides, so two
     * instances never send the same delivery in parallel.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Claim claim(String deliveryId, boolean ignoreSchedule) {
        long now = System.currentTimeMillis();
        var claimQuery = em.createQuery("UPDATE Delivery d SET d.claimedUntil = :until WHERE d.id = :id"
                        + " AND d.status = :pending AND (d.claimedUntil IS NULL OR d.claimedUntil < :now)"
                        + (ignoreSchedule ? "" : " AND d.nextAttemptAt <= :due"))
                .setParameter("until", now + claimTimeoutMs)
                .setParameter("id", deliveryId)
                .setParameter("pending", DeliveryStatus.pending)
                .setParameter("now", now);
        if (!ignoreSchedule) {
            // A timer may fire a hair early against this clock; a few milliseconds must not cost a sweep.
            claimQuery.setParameter("due", now + DUE_TOLERANCE_MS);
        }
        int taken = claimQuery.executeUpdate();
        if (taken == 0) {
            return null;
        }
        Delivery delivery = em.find(Delivery.class, deliveryId);
        WebhookTarget target = em.find(WebhookTarget.class, delivery.getTargetId());
        if (!target.isEnabled()) {
            // Paused with its target: it resumes where it was when the target is enabled again.
            delivery.releaseClaim();
            return null;
        }
        Event event = em.find(Event.class, delivery.getEventId());
        return new Claim(delivery.getId(), delivery.getSeries(), delivery.getAttemptCount() + 1, event.getId(),
                event.getType(), event.getBody().getBytes(StandardCharsets.UTF_8), target.getId(),
                URI.create(target.getUrl()), target.getTimeoutMs(), targets.secretOf(target),
                targets.previousSecretOf(target, now), target.getInitialBackoffMs(), target.getMaxBackoffMs(),
                target.getConsecutiveFailures() >= FAILING_AFTER);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean exists(String deliveryId) {
        return em.find(Delivery.class, deliveryId) != null;
    }

    /** Gives the claim back without an attempt (target saturated): try again shortly. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void defer(String deliveryId, long notBefore) {
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery != null && delivery.getStatus() == DeliveryStatus.pending) {
            delivery.deferTo(notBefore);
        }
    }

    /**
     * Records the attempt row, moves the delivery on (succeeded, retry later, or failed) and updates
     * the target's health. Returns the next attempt time, or null when nothing follows.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Long record(Claim claim, Outcome outcome) {
        long now = System.currentTimeMillis();
        em.persist(new DeliveryAttempt(Ids.next("att"), claim.deliveryId(), claim.series(), claim.attemptNumber(),
                outcome.startedAt(), outcome.latencyMs(), outcome.statusCode(), cut(outcome.error()),
                outcome.responseSnippet()));
        Delivery delivery = em.find(Delivery.class, claim.deliveryId());
        if (outcome.succeeded()) {
            delivery.succeeded(outcome.statusCode(), now);
            targetSucceeded(claim.targetId(), now);
            return null;
        }
        Long next = null;
        if (delivery.hasAttemptsLeftAfterThisOne()) {
            long delay = Backoff.delayMillis(claim.attemptNumber(), claim.initialBackoffMs(), claim.maxBackoffMs(),
                    ThreadLocalRandom.current());
            if (outcome.retryAfterMs() != null) {
                delay = Math.max(delay, Math.min(outcome.retryAfterMs(), claim.maxBackoffMs()));
            }
            next = now + delay;
        }
        String error = cut(outcome.describeFailure());
        delivery.failed(outcome.statusCode(), error, next, now);
        targetFailed(claim.targetId(), error, now, outcome.statusCode() != null && outcome.statusCode() == 410);
        return next;
    }

    private void targetSucceeded(String targetId, long now) {
        em.createQuery("UPDATE WebhookTarget t SET t.consecutiveFailures = 0, t.failingSince = NULL,"
                        + " t.lastSuccessAt = :now WHERE t.id = :id")
                .setParameter("now", now)
                .setParameter("id", targetId)
                .executeUpdate();
    }

    private void targetFailed(String targetId, String error, long now, boolean gone) {
        em.createQuery("UPDATE WebhookTarget t SET t.consecutiveFailures = t.consecutiveFailures + 1,"
                        + " t.failingSince = COALESCE(t.failingSince, :now), t.lastFailureAt = :now,"
                        + " t.lastError = :error WHERE t.id = :id")
                .setParameter("now", now)
                .setParameter("error", error)
                .setParameter("id", targetId)
                .executeUpdate();
        if (gone) {
            disable(targetId, "disabled because the endpoint answered 410 Gone", "");
        } else {
            disable(targetId, "disabled automatically: every attempt failed for longer than " + disableAfter,
                    " AND t.failingSince < " + (now - disableAfter.toMillis()));
        }
    }

    private void disable(String targetId, String reason, String condition) {
        em.createQuery("UPDATE WebhookTarget t SET t.enabled = FALSE, t.disabledReason = :reason WHERE t.id = :id"
                        + " AND t.enabled = TRUE" + condition)
                .setParameter("reason", reason)
                .setParameter("id", targetId)
                .executeUpdate();
    }

    private static String cut(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
