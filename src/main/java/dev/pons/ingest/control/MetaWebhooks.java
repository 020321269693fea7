package dev.pons.ingest.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import dev.pons.accounts.control.Numbers;
import dev.pons.accounts.entity.PhoneNumber;
import dev.pons.events.control.Events;
import dev.pons.events.entity.EventType;
import dev.pons.ingest.entity.MetaWebhookLog;
import dev.pons.platform.control.Ids;
import dev.pons.platform.control.Queues;
import dev.pons.platform.control.CommittedRow;

/**
 * Meta's webhooks: {@link #receiveAll} stores raw bodies and turns them into events and deliveries in
 * one transaction ({@link WebhookBatches} groups the webhooks that arrive together), so Meta gets its 200
 * once everything is durable and deliveries leave at once. Should that fail (another instance
 * storing the same event at the same moment, a bug in the parser's path), {@link #storeForLater}
 * keeps the body and hands it to the ingest queue, whose listener runs {@link #process} again later;
 * {@link IngestSweeper} re-drives entries that never got processed.
 */
@ApplicationScoped
public class MetaWebhooks {

    private static final Logger LOG = Logger.getLogger(MetaWebhooks.class.getName());

    /** A log entry still unprocessed after this is handed to the queue again. */
    static final long REDRIVE_AFTER_MS = 10_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    @JMSConnectionFactory(Queues.CONNECTION_FACTORY)
    JMSContext jms;

    @Resource(lookup = Queues.INGEST)
    Queue ingestQueue;

    @Inject
    Numbers numbers;

    @Inject
    Events events;

    @Inject
    Clock clock;


    /**
     * Stores and processes the bodies in one transaction, returning their log ids in order. An event
     * in two of them (Meta retrying a webhook it is still waiting for) is made once.
     */
    @Transactional
    public List<String> receiveAll(List<byte[]> rawBodies) {
        Set<String> keys = new HashSet<>();
        List<String> ids = new ArrayList<>(rawBodies.size());
        for (byte[] rawBody : rawBodies) {
            MetaWebhookLog entry = store(rawBody);
            process(entry, keys);
            ids.add(entry.getId());
        }
        return ids;
    }

    @Transactional
    public MetaWebhookLog storeForLater(byte[] rawBody) {
        MetaWebhookLog entry = store(rawBody);
        enqueue(entry.getId());
        return entry;
    }

    private MetaWebhookLog store(byte[] rawBody) {
        long now = clock.millis();
        MetaWebhookLog entry = new MetaWebhookLog(Ids.next("mwh", now), now, new String(rawBody, StandardCharsets.UTF_8));
        em.persist(entry);
        return entry;
    }

    /** Processes an entry {@link #storeForLater} kept; one processed meanwhile is skipped. */
    @Transactional
    public void process(String logId) {
        MetaWebhookLog entry = CommittedRow.await(() -> em.find(MetaWebhookLog.class, logId));
        if (entry == null) {
            // Not committed yet, or never: throwing hands the message back to the broker.
            throw new IllegalStateException("webhook log entry " + logId + " not found");
        }
        if (entry.isReceived()) {
            process(entry, new HashSet<>());
        }
    }

    /**
     * Turns a stored webhook into events, once: events are deduplicated by key, against the database
     * and against {@code keys}, those this transaction made so far. Correctly signed garbage is marked
     * malformed and produces nothing.
     */
    private void process(MetaWebhookLog entry, Set<String> keys) {
        String logId = entry.getId();
        long now = clock.millis();
        List<ParsedEvent> parsed;
        try {
            parsed = MetaNotificationParser.parse(entry.getBody());
        } catch (MalformedNotificationException e) {
            LOG.warning(() -> "Meta webhook " + logId + " is malformed: " + e.getMessage());
            entry.malformed(e.getMessage(), now);
            return;
        }
        Map<String, Optional<PhoneNumber>> owners = new HashMap<>();
        int recorded = 0;
        int unrouted = 0;
        String accountId = null;
        for (ParsedEvent event : parsed) {
            if (!keys.add(event.dedupeKey())) {
                // The same event twice in one transaction: Events only checks what is already stored.
                continue;
            }
            Optional<PhoneNumber> owner = owners.computeIfAbsent(event.phoneNumberId(), numbers::find);
            if (owner.isEmpty()) {
                unrouted++;
                continue;
            }
            accountId = accountId != null ? accountId : owner.get().getAccountId();
            EventType type = EventType.ofWireName(event.type()).orElseThrow();
            var stored = events.record(new Events.NewEvent(owner.get().getAccountId(), type, event.phoneNumberId(),
                    event.waMessageId(), event.dedupeKey(), event.occurredAt(), event.payload()));
            if (stored.isPresent()) {
                recorded++;
            }
        }
        if (unrouted > 0) {
            int count = unrouted;
            LOG.info(() -> "Meta webhook " + logId + ": " + count + " item(s) for numbers no account registered; kept"
                    + " in the log, not forwarded");
        }
        entry.processed(accountId, recorded, unrouted, now);
    }

    /**
     * Which of these entries are really in the database, read in a transaction of its own. While the
     * database shuts down, the XA start of a connection can fail, the work then runs on a connection
     * the transaction never enlisted, and the transaction "commits" with nothing in it. Meta may have
     * its 200 only for what a fresh read finds.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Set<String> storedOf(List<String> logIds) {
        return new HashSet<>(em.createQuery("SELECT l.id FROM MetaWebhookLog l WHERE l.id IN :ids", String.class)
                .setParameter("ids", logIds)
                .getResultList());
    }

    /** Hands entries that were stored but never processed (lost message, crash) to the queue again. */
    @Transactional
    public int sweep() {
        List<String> stale = em.createQuery("SELECT l.id FROM MetaWebhookLog l WHERE l.status = 'received'"
                        + " AND l.receivedAt < :before ORDER BY l.receivedAt", String.class)
                .setParameter("before", clock.millis() - REDRIVE_AFTER_MS)
                .setMaxResults(100)
                .getResultList();
        stale.forEach(this::enqueue);
        return stale.size();
    }

    public MetaWebhookLog find(String logId) {
        return em.find(MetaWebhookLog.class, logId);
    }

    private void enqueue(String logId) {
        jms.createProducer().setProperty(Queues.KIND, "ingest").send(ingestQueue, logId);
    }
}
