package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for attempt outcomes. Every commit costs the database a sync, and workers finish
 * attempts by the thousand per second; so a worker queues its outcome, and whichever worker gets the
 * lock writes everything queued so far in one transaction while the others wait for it. Each caller
 * returns only once its own outcome is durable, exactly as if it had committed alone.
 */
@ApplicationScoped
public class Recorder {

    private static final Logger LOG = Logger.getLogger(Recorder.class.getName());

    static final int MAX_BATCH = 200;

    /** One outcome waiting to be recorded, and what became of it. */
    public static final class Entry {

        private final Attempts.Claim claim;
        private final Outcome outcome;
        private volatile boolean done;
        private Attempts.Recorded recorded;
        private RuntimeException failure;

        Entry(Attempts.Claim claim, Outcome outcome) {
            this.claim = claim;
            this.outcome = outcome;
        }

        public Attempts.Claim claim() {
            return claim;
        }

        public Outcome outcome() {
            return outcome;
        }

        void complete(Attempts.Recorded result, RuntimeException error) {
            recorded = result;
            failure = error;
            done = true;
        }
    }

    @Inject
    Attempts attempts;

    private final ConcurrentLinkedQueue<Entry> queued = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writer = new ReentrantLock();

    /** Records the outcome durably, together with whatever other workers finished meanwhile. */
    public Attempts.Recorded record(Attempts.Claim claim, Outcome outcome) {
        Entry mine = new Entry(claim, outcome);
        queued.add(mine);
        while (!mine.done) {
            writer.lock();
            try {
                if (!mine.done) {
                    writeQueued();
                }
            } finally {
                writer.unlock();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.recorded;
    }

    private void writeQueued() {
        List<Entry> batch = new ArrayList<>();
        for (Entry next; batch.size() < MAX_BATCH && (next = queued.poll()) != null; ) {
            batch.add(next);
        }
        try {
            List<Attempts.Recorded> results = attempts.recordAll(batch);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(results.get(i), null);
            }
        } catch (RuntimeException batchFailed) {
            if (batch.size() == 1) {
                batch.get(0).complete(null, batchFailed);
                return;
            }
            // One bad outcome must not take the others with it: write them one by one.
            LOG.log(Level.FINE, "batch of " + batch.size() + " outcomes failed; recording one by one", batchFailed);
            for (Entry entry : batch) {
                try {
                    entry.complete(attempts.recordAll(List.of(entry)).get(0), null);
                } catch (RuntimeException e) {
                    entry.complete(null, e);
                }
            }
        }
    }
}
