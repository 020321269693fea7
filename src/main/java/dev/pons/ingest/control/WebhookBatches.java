package dev.pons.ingest.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.pons.ingest.entity.MetaWebhookLog;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.GroupCommit;

/**
 * Group commit for Meta's webhooks. Meta sends one message or status per POST more often than not,
 * and a commit per POST (with its read-back) would bound ingest: webhooks that arrive while one
 * commit runs are stored together in the next, each answered once its own batch is durable and
 * read back. A batch that fails is stored again one webhook at a time, so one bad body (or a dedupe
 * race with another instance) cannot take the others with it; a webhook whose events cannot be made
 * at once is kept, raw, for the ingest queue to process later.
 */
@ApplicationScoped
public class WebhookBatches {

    private static final Logger LOG = Logger.getLogger(WebhookBatches.class.getName());

    static final int MAX_BATCH = 100;

    /** Bodies of 50 messages make 500 deliveries each: a batch stops at about this much body. */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    /** One webhook waiting to be stored, and its log id once it is. */
    record Entry(byte[] body, CompletableFuture<String> stored) {
    }

    @Inject
    MetaWebhooks webhooks;

    @Resource
    ManagedThreadFactory threadFactory;

    final GroupCommit<Entry> commits = new GroupCommit<>(MAX_BATCH,
            entry -> entry.body().length, MAX_BATCH_BYTES, this::write,
            (entry, refused) -> entry.stored().completeExceptionally(refused));

    @PostConstruct
    void init() {
        commits.runOn(Executors.newSingleThreadExecutor(threadFactory));
    }

    @PreDestroy
    void close() {
        commits.stop();
    }

    /**
     * Stores the webhook with the others that arrive meanwhile; completes with its log id once that is
     * committed and read back, or exceptionally with why not.
     */
    public CompletableFuture<String> receive(byte[] body) {
        Entry entry = new Entry(body, new CompletableFuture<>());
        commits.add(entry);
        return entry.stored();
    }

    private void write(List<Entry> batch) {
        List<String> ids;
        try {
            ids = webhooks.receiveAll(batch.stream().map(Entry::body).toList());
        } catch (RuntimeException batchFailed) {
            if (batch.size() == 1) {
                keepForLater(batch.get(0), batchFailed);
                return;
            }
            LOG.log(Level.FINE, "batch of " + batch.size() + " webhooks failed; storing one by one", batchFailed);
            writeOneByOne(batch);
            return;
        }
        confirm(batch, ids);
    }

    private void writeOneByOne(List<Entry> batch) {
        for (int i = 0; i < batch.size(); i++) {
            Entry entry = batch.get(i);
            List<String> id;
            try {
                id = webhooks.receiveAll(List.of(entry.body()));
            } catch (RuntimeException failed) {
                if (!keepForLater(entry, failed)) {
                    // Even the raw body could not be kept: the database is away. The rest are answered
                    // at once (Meta retries) rather than each after failures of its own.
                    batch.subList(i + 1, batch.size()).forEach(e -> e.stored().completeExceptionally(failed));
                    return;
                }
                continue;
            }
            confirm(List.of(entry), id);
        }
    }

    /** Keeps the raw body for the ingest queue; false if even that failed (the webhook is answered so). */
    private boolean keepForLater(Entry entry, RuntimeException notProcessed) {
        LOG.log(Level.INFO, "Meta webhook not processed at once, kept for the ingest queue: " + notProcessed);
        String id;
        try {
            id = webhooks.storeForLater(entry.body()).getId();
        } catch (RuntimeException notStored) {
            entry.stored().completeExceptionally(notStored);
            return false;
        }
        confirm(List.of(entry), List.of(id));
        return true;
    }

    /**
     * Answers each webhook only for what a fresh read finds ({@link MetaWebhooks#storedOf}): a commit can
     * report success for work that never reached the database.
     */
    private void confirm(List<Entry> entries, List<String> ids) {
        Set<String> found;
        try {
            found = webhooks.storedOf(ids);
        } catch (RuntimeException unreadable) {
            entries.forEach(entry -> entry.stored().completeExceptionally(unreadable));
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            String id = ids.get(i);
            if (found.contains(id)) {
                entries.get(i).stored().complete(id);
            } else {
                LOG.warning("Meta webhook " + id + " committed but not found in the database; answered 503");
                entries.get(i).stored().completeExceptionally(DomainException.unavailable(
                        "service temporarily unavailable: the webhook could not be stored; retry later"));
            }
        }
    }
}
