package dev.pons.delivery.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Visibility;
import dev.pons.targets.control.Targets;

/**
 * One attempt of one delivery, idempotent: reload by id, claim it, POST, record. Anything that is
 * not due, finished or claimed elsewhere is skipped, so duplicate queue messages are harmless.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());

    /** Retries due within this are timed in memory as well; the sweeper covers them if we die. */
    static final long NEAR_TERM_MS = 60_000;
    static final long SATURATED_DEFER_MS = 250;

    @Inject
    Attempts attempts;

    @Inject
    Sender sender;

    @Inject
    InFlight inFlight;

    @Inject
    Targets targets;

    @Inject
    Deliveries deliveries;

    @Inject
    DeliveryMetrics metrics;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Attempts the delivery if it is due. Runs outside a transaction: the POST must not hold one. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void attemptIfDue(String deliveryId) {
        attempt(deliveryId, false);
    }

    /** Attempts now whatever the schedule (the test endpoint); returns whether an attempt was made. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public boolean attemptNow(String deliveryId) {
        return attempt(deliveryId, true);
    }

    private boolean attempt(String deliveryId, boolean ignoreSchedule) {
        Attempts.Claim claim = attempts.claim(deliveryId, ignoreSchedule);
        if (claim == null) {
            if (Visibility.await(() -> attempts.exists(deliveryId) ? Boolean.TRUE : null) == null) {
                // Not committed yet, or deleted with its target: throwing hands the message back.
                throw new IllegalStateException("delivery " + deliveryId + " not found");
            }
            if (!ignoreSchedule) {
                claim = attempts.claim(deliveryId, false);
            }
            if (claim == null) {
                return false;
            }
        }
        if (!inFlight.tryAcquire(claim.targetId(), claim.targetFailing())) {
            attempts.defer(deliveryId, System.currentTimeMillis() + SATURATED_DEFER_MS);
            metrics.deferred();
            return false;
        }
        Outcome outcome;
        try {
            outcome = post(claim);
        } catch (BulkheadException full) {
            attempts.defer(deliveryId, System.currentTimeMillis() + SATURATED_DEFER_MS);
            metrics.deferred();
            return false;
        } catch (TimeoutException ceiling) {
            outcome = new Outcome(System.currentTimeMillis(), claim.timeoutMs(), null,
                    "timeout: no answer within " + claim.timeoutMs() + " ms", null, null);
        } finally {
            inFlight.release(claim.targetId());
        }
        Long next = attempts.record(claim, outcome);
        metrics.attempted(outcome, next);
        if (next != null) {
            timeNearTermRetry(deliveryId, next);
        }
        return true;
    }

    private Outcome post(Attempts.Claim claim) {
        long now = System.currentTimeMillis();
        try {
            targets.urlPolicy().checkAtDelivery(claim.url());
        } catch (DomainException refused) {
            return new Outcome(now, 0, null, "url refused: " + String.join("; ", refused.details()), null, null);
        }
        return sender.post(claim.url(), claim.body(), headers(claim), claim.timeoutMs());
    }

    static Map<String, String> headers(Attempts.Claim claim) {
        long timestamp = System.currentTimeMillis();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Pons-Event-Id", claim.eventId());
        headers.put("X-Pons-Event-Type", claim.eventType());
        headers.put("X-Pons-Delivery-Id", claim.deliveryId());
        headers.put("X-Pons-Attempt", String.valueOf(claim.attemptNumber()));
        headers.put("X-Pons-Timestamp", String.valueOf(timestamp));
        headers.put("X-Pons-Signature", Signer.sign(claim.secret(), timestamp, claim.body()));
        if (claim.previousSecret() != null) {
            headers.put("X-Pons-Signature-Previous", Signer.sign(claim.previousSecret(), timestamp, claim.body()));
        }
        return headers;
    }

    private void timeNearTermRetry(String deliveryId, long nextAttemptAt) {
        long delay = nextAttemptAt - System.currentTimeMillis();
        if (delay > NEAR_TERM_MS) {
            return;
        }
        try {
            deliveries.holdForTimer(deliveryId, nextAttemptAt);
            scheduler.schedule(() -> enqueue(deliveryId), Math.max(0, delay), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // The sweeper finds it once the hold lapses; nothing is lost, it is only later.
            LOG.log(Level.FINE, "could not time retry of " + deliveryId, e);
        }
    }

    private void enqueue(String deliveryId) {
        try {
            deliveries.enqueue(List.of(deliveryId));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not enqueue retry of " + deliveryId + "; the sweeper will", e);
        }
    }
}
