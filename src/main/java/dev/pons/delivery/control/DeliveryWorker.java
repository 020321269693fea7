package dev.pons.delivery.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;


/**
 * Attempts the deliveries a queue message names, in stages: taken ({@link Claims}), admitted into
 * this instance's share ({@link Lanes}) or left waiting in the database, signed and POSTed ({@link Sender})
 * or, for a JMS target, published ({@link JmsPublisher}), recorded ({@link OutcomeWriter}). A listener thread only takes and starts deliveries and never
 * waits for room: the POSTs run on the HTTP client's threads, and what does not fit waits in the
 * database.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());

    @Inject
    Claims claims;

    @Inject
    Lanes lanes;

    @Inject
    Leases leases;

    @Inject
    Sender sender;

    @Inject
    JmsPublisher publisher;

    @Inject
    Pacing pacing;

    @Inject
    OutcomeWriter outcomes;

    @Inject
    HandOut handOut;

    @Inject
    DeliveryMetrics metrics;

    @Inject
    Clock clock;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /**
     * Takes the deliveries of a queue message whose leases still hold and starts or lines up those
     * this instance has room for; the others go back to the database. Returns once the POSTs are on
     * their way. Runs outside a transaction: the POSTs must not hold one.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void attemptIfDue(String message) {
        attempt(Lease.parseAll(message));
    }

    private void attempt(List<Lease> held) {
        List<Lease> parked = new ArrayList<>();
        for (Claim claim : claims.take(held)) {
            Lanes.Admission admission = lanes.admit(claim);
            switch (admission) {
                case STARTED -> launch(claim, null);
                case WAITING -> { }
                default -> {
                    parked.add(claim.lease());
                    metrics.parked(admission);
                }
            }
        }
        release(parked);
    }

    /**
     * Attempts a delivery whose lease the caller just took (a test send), whatever its target's circuit
     * says; the stage completes when the outcome is recorded, with false if no attempt was made
     * (its target had no free slot here).
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public CompletionStage<Boolean> attemptNow(Lease lease) {
        List<Claim> taken = claims.take(List.of(lease));
        if (taken.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        Claim claim = taken.get(0).regardlessOfCircuit();
        Lanes.Admission admission = lanes.admit(claim);
        if (admission != Lanes.Admission.STARTED) {
            if (admission == Lanes.Admission.WAITING) {
                // Behind other attempts it could outlast the caller's wait: it goes when its turn comes.
                return CompletableFuture.completedFuture(false);
            }
            metrics.parked(admission);
            release(List.of(claim.lease()));
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> recorded = new CompletableFuture<>();
        launch(claim, recorded);
        return recorded;
    }

    /**
     * Starts a delivery that holds one of its target's slots, at once or, for a rate-limited target, at
     * its start slot; a delivery whose lease would end before its POST could is given back unattempted.
     */
    private void launch(Claim claim, CompletableFuture<Boolean> recordedSignal) {
        Long slot;
        try {
            slot = pacing.startAt(claim);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no start slot for delivery " + claim.deliveryId() + " (" + e + "); it waits in the database");
            slot = null;
        }
        if (slot == null) {
            // The budget is taken until past its lease: the sweeper hands it out again, no refill asks for it sooner.
            giveBack(claim, recordedSignal, Lanes.Admission.RATE_LIMITED);
            return;
        }
        long startAt = slot;
        if (claim.leaseUntil() - startAt < claim.timeoutMs()) {
            // Waited in line so long that the lease might end mid-POST: back to the database.
            giveBack(claim, recordedSignal, Lanes.Admission.TARGET_FULL);
            return;
        }
        long wait = startAt - clock.millis();
        if (wait <= 0) {
            post(claim, recordedSignal, startAt);
            return;
        }
        try {
            scheduler.schedule(() -> post(claim, recordedSignal, startAt), wait, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            giveBack(claim, recordedSignal, Lanes.Admission.TARGET_FULL);
        }
    }

    /** Back to the database, due as it was, unattempted; its slot goes to the next waiting. */
    private void giveBack(Claim claim, CompletableFuture<Boolean> recordedSignal, Lanes.Admission why) {
        answered(claim, -1);
        metrics.parked(why);
        release(List.of(claim.lease()));
        if (why == Lanes.Admission.RATE_LIMITED) {
            lanes.done(claim);
        } else {
            finish(claim);
        }
        complete(recordedSignal, false);
    }

    /**
     * POSTs a delivery, then records the outcome. The slot passes to the target's next waiting delivery
     * when the answer is in; the delivery leaves this instance's memory when its outcome is durable, so a
     * writer falling behind slows the intake down instead of piling outcomes up.
     */
    private void post(Claim claim, CompletableFuture<Boolean> recordedSignal, long startAt) {
        long signedAt = clock.millis();
        if (pacing.missed(claim, startAt, signedAt)) {
            launch(claim, recordedSignal);
            return;
        }
        attempt(claim, signedAt).thenCompose(outcome -> {
            answered(claim, outcome.latencyMs());
            return outcomes.record(claim, outcome).thenApply(recorded -> {
                metrics.attempted(outcome, recorded.nextAttemptAt());
                if (recorded.heldForRetry() != null) {
                    timeRetry(recorded.nextAttemptAt(), recorded.heldForRetry());
                }
                if (recorded.nextInLine() != null) {
                    attemptNextInLine(recorded.nextInLine());
                }
                if (recorded.circuitOpen()) {
                    List<Claim> back = lanes.circuitOpened(claim.targetId());
                    back.forEach(waiting -> metrics.parked(Lanes.Admission.CIRCUIT_OPEN));
                    release(back.stream().map(Claim::lease).toList());
                    back.forEach(this::finish);
                }
                return recorded;
            });
        }).whenComplete((recorded, error) -> {
            finish(claim);
            complete(recordedSignal, error == null);
            if (error != null) {
                LOG.log(Level.WARNING, "attempt " + claim.attemptNumber() + " of delivery " + claim.deliveryId()
                        + " not recorded (" + error + "); it is sent again when its lease expires");
            }
        });
    }

    /** The attempt itself, by the target's type: everything around it is the same for both. */
    private CompletableFuture<Outcome> attempt(Claim claim, long signedAt) {
        return claim.jms() != null ? publisher.attempt(claim) : sender.attempt(claim, signedAt);
    }

    /** Frees the claim's slot; the target's next waiting delivery, if any, starts in it. */
    private void answered(Claim claim, long latencyMs) {
        lanes.answered(claim, latencyMs).ifPresent(next -> launch(next, null));
    }

    /** The claim leaves this instance's memory; if its target has deliveries waiting in the database, more come. */
    private void finish(Claim claim) {
        if (lanes.done(claim)) {
            handOut.refillSoon(claim.targetId());
        }
    }

    private static void complete(CompletableFuture<Boolean> signal, boolean recorded) {
        if (signal != null) {
            signal.complete(recorded);
        }
    }

    private void release(List<Lease> parked) {
        if (parked.isEmpty()) {
            return;
        }
        try {
            leases.release(parked);
        } catch (RuntimeException e) {
            // Their leases lapse instead; the sweeper hands them out after that.
            LOG.log(Level.WARNING, "could not give back " + parked.size() + " leases (" + e + ")");
        }
    }

    /**
     * The new head of a FIFO line, leased by the transaction that recorded the previous head's outcome:
     * attempted from here rather than sent through the queue, where it would wait behind every other
     * target's messages while its whole line waits for it.
     */
    private void attemptNextInLine(Lease head) {
        try {
            scheduler.execute(() -> attempt(List.of(head)));
        } catch (RuntimeException e) {
            handOut.queue(List.of(head));
        }
    }

    /** The retry keeps its lease until then; if this instance dies first, the sweeper takes it after the lease. */
    private void timeRetry(long at, Lease retry) {
        long delay = Math.max(0, at - clock.millis());
        try {
            scheduler.schedule(() -> handOut.queue(List.of(retry)), delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not time retry of " + retry.deliveryId() + "; the sweeper will", e);
        }
    }
}
