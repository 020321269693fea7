package dev.pons.delivery.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.pons.platform.control.DomainException;
import dev.pons.targets.control.Targets;

/**
 * Attempts of the deliveries a queue message names, idempotent: reload by id, check the lease, POST,
 * record. Anything that is not due, finished or leased elsewhere is skipped, so duplicate queue
 * messages are harmless. The POSTs are asynchronous: a worker thread only takes and starts them.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());

    static final long SATURATED_DEFER_MS = 250;

    @Inject
    Attempts attempts;

    @Inject
    OutcomeWriter outcomes;

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

    @Inject
    Clock clock;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** A healthy target's delivery waiting in memory for one of its slots, and where its outcome goes. */
    private record Waiting(Attempts.Claim claim, CompletableFuture<Attempts.Recorded> recorded) {
    }

    /** A target's waiting deliveries, in the order they came; the length is kept apart, queues count slowly. */
    private static final class Line {

        final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger length = new AtomicInteger();
    }

    private final ConcurrentHashMap<String, Line> lines = new ConcurrentHashMap<>();

    /**
     * Attempts the deliveries of a queue message that are still due and whose leases still hold.
     * Returns once their POSTs are on their way; outcomes are recorded as they come in. Runs outside
     * a transaction: the POSTs must not hold one.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void attemptIfDue(String message, long sentAt) {
        queue.noteQueueWait(sentAt, clock.millis());
        List<Lease> leases = Lease.parseAll(message);
        List<Lease> held = leases.stream().filter(Lease::held).toList();
        List<Attempts.Claim> claims = new ArrayList<>(held.isEmpty() ? List.of() : attempts.takeAll(held));
        for (Lease lease : leases) {
            if (!lease.held()) {
                Attempts.Claim claim = attempts.claim(lease.deliveryId());
                if (claim != null) {
                    claims.add(claim);
                }
            }
        }
        List<Attempts.Claim> deferred = new ArrayList<>();
        for (Attempts.Claim claim : claims) {
            if (start(claim) == null) {
                deferred.add(claim);
            }
        }
        defer(deferred);
    }

    /**
     * Attempts a delivery whose lease the caller just took (the test endpoint); the stage completes
     * when the outcome is recorded, with false if the attempt was not made.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public CompletionStage<Boolean> attemptNow(Lease lease) {
        List<Attempts.Claim> claims = attempts.takeAll(List.of(lease));
        if (claims.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        CompletionStage<Attempts.Recorded> recorded = start(claims.get(0));
        if (recorded == null) {
            defer(claims);
            return CompletableFuture.completedFuture(false);
        }
        return recorded.thenApply(Objects::nonNull);
    }

    /**
     * Starts the POST, or lines it up behind its target's attempts in flight; the stage completes
     * with the recorded outcome (null if it was never attempted). Returns null, doing nothing, for a
     * failing target already probed by another attempt, or a line already full (a target that
     * stopped answering must not fill this instance's memory): the caller defers it.
     */
    private CompletionStage<Attempts.Recorded> start(Attempts.Claim claim) {
        if (claim.targetFailing()) {
            if (!inFlight.tryAcquire(claim.targetId(), true)) {
                return null;
            }
            inFlight.admit();
            return launch(claim);
        }
        Line line = lineOf(claim.targetId());
        if (line.length.incrementAndGet() > inFlight.maxWaitingPerTarget()) {
            line.length.decrementAndGet();
            return null;
        }
        inFlight.admit();
        Waiting waiting = new Waiting(claim, new CompletableFuture<>());
        line.queue.add(waiting);
        pump(claim.targetId());
        return waiting.recorded();
    }

    private Line lineOf(String targetId) {
        return lines.computeIfAbsent(targetId, id -> new Line());
    }

    /** Starts a healthy target's waiting deliveries, in order, while it has free slots. */
    private void pump(String targetId) {
        Line line = lineOf(targetId);
        while (!line.queue.isEmpty()) {
            if (!inFlight.tryAcquire(targetId, false)) {
                // Every slot is busy: whichever attempt frees one comes back here.
                return;
            }
            Waiting next = line.queue.poll();
            if (next == null) {
                // Another thread took the last one; look again before giving the slot back for good.
                inFlight.release(targetId);
                continue;
            }
            line.length.decrementAndGet();
            launch(next.claim()).whenComplete((recorded, error) -> {
                if (error != null) {
                    next.recorded().completeExceptionally(error);
                } else {
                    next.recorded().complete(recorded);
                }
            });
        }
    }

    /**
     * POSTs a delivery the caller got a slot for, then records the outcome. The target's slot is free
     * again when the answer is in; the delivery leaves this instance's memory when its outcome is
     * durable, so a writer falling behind slows the intake down instead of piling outcomes up.
     */
    private CompletableFuture<Attempts.Recorded> launch(Attempts.Claim claim) {
        if (claim.leaseUntil() - clock.millis() < claim.timeoutMs()) {
            // Waited in line so long that the lease might end mid-POST: back on the queue with it, where the
            // next take extends it (a lease left to lapse waits out the lease grace and the next sweep).
            // No margin here: with a short lease grace (the outage tests use one) every delivery would go.
            answered(claim);
            inFlight.leave();
            defer(List.of(claim));
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Outcome> posted;
        try {
            posted = post(claim);
        } catch (RuntimeException e) {
            answered(claim);
            inFlight.leave();
            return CompletableFuture.failedFuture(e);
        }
        return posted.thenCompose(outcome -> {
            answered(claim);
            return outcomes.record(claim, outcome).thenApply(recorded -> {
                metrics.attempted(outcome, recorded.nextAttemptAt());
                if (recorded.heldForRetry() != null) {
                    timeRetry(recorded.nextAttemptAt(), recorded.heldForRetry());
                }
                return recorded;
            });
        }).whenComplete((recorded, error) -> {
            inFlight.leave();
            if (error != null) {
                LOG.log(Level.WARNING, "attempt " + claim.attemptNumber() + " of delivery " + claim.deliveryId()
                        + " not recorded (" + error + "); it is sent again when its lease expires");
            }
        });
    }

    private void answered(Attempts.Claim claim) {
        inFlight.release(claim.targetId());
        pump(claim.targetId());
    }

    /**
     * Saturated targets: their deliveries come back to the queue a little later with the leases they
     * hold, without a database write; a failing target's, probed one at a time, wait longer.
     */
    private void defer(List<Attempts.Claim> claims) {
        for (boolean failing : new boolean[] {false, true}) {
            List<Attempts.Claim> group = claims.stream().filter(claim -> claim.targetFailing() == failing).toList();
            if (group.isEmpty()) {
                continue;
            }
            long wait = failing
                    ? Math.max(SATURATED_DEFER_MS, group.stream().mapToInt(Attempts.Claim::timeoutMs).min().orElse(0) / 2)
                    : SATURATED_DEFER_MS;
            List<Lease> held = group.stream().map(claim -> new Lease(claim.deliveryId(), claim.leaseUntil())).toList();
            scheduler.schedule(() -> queue.send(held), wait, TimeUnit.MILLISECONDS);
            group.forEach(claim -> metrics.deferred());
        }
    }

    private CompletableFuture<Outcome> post(Attempts.Claim claim) {
        long now = clock.millis();
        try {
            targets.urlPolicy().checkAtDelivery(claim.url());
        } catch (DomainException refused) {
            return CompletableFuture.completedFuture(
                    new Outcome(now, 0, null, "url refused: " + String.join("; ", refused.details()), null, null));
        }
        return sender.post(claim.url(), claim.body(), headers(claim, clock.millis()), claim.timeoutMs());
    }

    /**
     * The headers of one attempt. Both signature schemes sign the same instant: {@code webhook-timestamp}
     * is {@code X-Pons-Timestamp} in whole seconds, so a receiver may check either and see one time.
     */
    static Map<String, String> headers(Attempts.Claim claim, long timestamp) {
        // The target's own first: their names never collide with the ones below (CustomHeaders refuses them).
        Map<String, String> headers = new LinkedHashMap<>(claim.headers());
        headers.put("X-Pons-Event-Id", claim.eventId());
        headers.put("X-Pons-Event-Type", claim.eventType());
        headers.put("X-Pons-Delivery-Id", claim.deliveryId());
        headers.put("X-Pons-Attempt", String.valueOf(claim.attemptNumber()));
        headers.put("X-Pons-Timestamp", String.valueOf(timestamp));
        headers.put("X-Pons-Signature", Signer.sign(claim.secret(), timestamp, claim.body()));
        if (claim.previousSecret() != null) {
            headers.put("X-Pons-Signature-Previous", Signer.sign(claim.previousSecret(), timestamp, claim.body()));
        }
        long seconds = Math.floorDiv(timestamp, 1000);
        headers.put("webhook-id", claim.deliveryId());
        headers.put("webhook-timestamp", String.valueOf(seconds));
        headers.put("webhook-signature", StandardSigner.signature(claim.secret(), claim.previousSecret(),
                claim.deliveryId(), seconds, claim.body()));
        return headers;
    }

    /** The retry keeps its lease until then; if this instance dies first, the sweeper takes it after the lease. */
    private void timeRetry(long at, Lease retry) {
        long delay = Math.max(0, at - clock.millis());
        try {
            scheduler.schedule(() -> queue.send(List.of(retry)), delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not time retry of " + retry.deliveryId() + "; the sweeper will", e);
        }
    }
}
