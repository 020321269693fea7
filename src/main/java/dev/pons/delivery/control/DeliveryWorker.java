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
import dev.pons.targets.control.Targets;

/**
 * One attempt of one delivery, idempotent: reload by id, check the lease, POST, record. Anything
 * that is not due, finished or leased elsewhere is skipped, so duplicate queue messages are harmless.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());

    static final long SATURATED_DEFER_MS = 250;

    @Inject
    Attempts attempts;

    @Inject
    Recorder recorder;

    @Inject
    Sender sender;

    @Inject
    InFlight inFlight;

    @Inject
    Targets targets;

    @Inject
    DeliveryQueue queue;

    @Inject
    DeliveryMetrics metrics;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /**
     * Attempts the delivery of a queue message if it is still due and the message's lease still
     * holds. Runs outside a transaction: the POST must not hold one. Messages are sent only after
     * their rows committed, so a delivery not found was deleted with its target: nothing to do.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void attemptIfDue(String message) {
        Lease lease = Lease.parse(message);
        Attempts.Claim claim = lease.held() ? attempts.take(lease) : attempts.claim(lease.deliveryId());
        if (claim != null) {
            attempt(claim);
        }
    }

    /** Attempts a delivery whose lease the caller just took (the test endpoint); returns whether it did. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public boolean attemptNow(Lease lease) {
        Attempts.Claim claim = attempts.take(lease);
        return claim != null && attempt(claim);
    }

    private boolean attempt(Attempts.Claim claim) {
        if (!inFlight.tryAcquire(claim.targetId(), claim.targetFailing())) {
            defer(claim);
            return false;
        }
        Outcome outcome;
        try {
            outcome = post(claim);
        } catch (BulkheadException full) {
            defer(claim);
            return false;
        } catch (TimeoutException ceiling) {
            outcome = new Outcome(System.currentTimeMillis(), claim.timeoutMs(), null,
                    "timeout: no answer within " + claim.timeoutMs() + " ms", null, null);
        } finally {
            inFlight.release(claim.targetId());
        }
        Attempts.Recorded recorded = recorder.record(claim, outcome);
        metrics.attempted(outcome, recorded.nextAttemptAt());
        if (recorded.heldForRetry() != null) {
            timeRetry(recorded.nextAttemptAt(), recorded.heldForRetry());
        }
        return true;
    }

    /**
     * A saturated target: the delivery comes back to the queue a little later with the lease it holds,
     * without a database write; a probing (failing) target's deliveries wait longer.
     */
    private void defer(Attempts.Claim claim) {
        long wait = claim.targetFailing() ? Math.max(SATURATED_DEFER_MS, claim.timeoutMs() / 2) : SATURATED_DEFER_MS;
        Lease held = new Lease(claim.deliveryId(), claim.leaseUntil());
        scheduler.schedule(() -> queue.send(List.of(held)), wait, TimeUnit.MILLISECONDS);
        metrics.deferred();
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

    /** The retry keeps its lease until then; if this instance dies first, the sweeper takes it after the lease. */
    private void timeRetry(long at, Lease retry) {
        long delay = Math.max(0, at - System.currentTimeMillis());
        try {
            scheduler.schedule(() -> queue.send(List.of(retry)), delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not time retry of " + retry.deliveryId() + "; the sweeper will", e);
        }
    }
}
