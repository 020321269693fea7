package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.pons.platform.control.GroupCommit;

/**
 * Group commit for attempt outcomes. Every commit costs the database a sync, and attempts finish
 * by the thousand per second; so an outcome is queued here, and a single writer records everything
 * queued so far in one transaction, again and again while more arrives. Nobody waits for it: the
 * delivery's lease keeps others off it until the outcome is in, and an outcome lost with a crash
 * only means the sweeper sends that delivery again once the lease expires.
 */
@ApplicationScoped
public class OutcomeWriter {

    private static final Logger LOG = Logger.getLogger(OutcomeWriter.class.getName());

    static final int MAX_BATCH = 200;

    /** One outcome waiting to be recorded, and what became of it. */
    public record Entry(Claim claim, Outcome outcome, CompletableFuture<Outcomes.Recorded> result) {
    }

    @Inject
    Outcomes outcomes;

    @Resource
    ManagedThreadFactory threadFactory;

    final GroupCommit<Entry> commits = new GroupCommit<>(MAX_BATCH,
            entry -> 1, MAX_BATCH, this::write,
            // Shutting down: nothing will write these; their leases expire and the sweeper re-drives them.
            (entry, refused) -> entry.result().completeExceptionally(refused));

    @PostConstruct
    void init() {
        commits.runOn(Executors.newSingleThreadExecutor(threadFactory));
    }

    @PreDestroy
    void close() {
        commits.stop();
    }

    /** Queues the outcome; the stage completes once it is durable (or fails if it could not be written). */
    public CompletionStage<Outcomes.Recorded> record(Claim claim, Outcome outcome) {
        Entry entry = new Entry(claim, outcome, new CompletableFuture<>());
        commits.add(entry);
        return entry.result();
    }

    private void write(List<Entry> batch) {
        List<Outcomes.Recorded> results;
        try {
            results = outcomes.recordAll(batch);
        } catch (RuntimeException batchFailed) {
            if (batch.size() == 1) {
                writeReduced(batch.get(0), batchFailed);
                return;
            }
            // One bad outcome must not take the others with it: write them one by one.
            LOG.log(Level.FINE, "batch of " + batch.size() + " outcomes failed; recording one by one", batchFailed);
            for (Entry entry : batch) {
                try {
                    entry.result().complete(outcomes.recordAll(List.of(entry)).get(0));
                } catch (RuntimeException e) {
                    writeReduced(entry, e);
                }
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    /**
     * An outcome the database refuses is written again without the text that came from outside, so its
     * delivery still ends or retries on schedule: unrecorded, it would be sent again each time its lease
     * expired, forever. Only when that fails too (the database is away) is the outcome lost to the lease.
     */
    private void writeReduced(Entry entry, RuntimeException refused) {
        Outcome reduced = entry.outcome().reduced();
        if (reduced.equals(entry.outcome())) {
            entry.result().completeExceptionally(refused);
            return;
        }
        try {
            entry.result().complete(outcomes.recordAll(List.of(new Entry(entry.claim(), reduced, entry.result()))).get(0));
            // The refused text is not logged: a receiver's answer is not ours to copy into logs.
            LOG.warning(() -> "attempt " + entry.claim().attemptNumber() + " of delivery " + entry.claim().deliveryId()
                    + " recorded without its response snippet and error text, which the database refused: "
                    + rootCause(refused));
        } catch (RuntimeException e) {
            e.addSuppressed(refused);
            entry.result().completeExceptionally(e);
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getName();
    }
}
