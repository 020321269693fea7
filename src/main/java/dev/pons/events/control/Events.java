package dev.pons.events.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.pons.accounts.entity.Account;
import dev.pons.events.entity.Event;
import dev.pons.events.entity.EventType;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Ids;
import dev.pons.platform.control.Sql;

/** Stores events once per dedupe key and announces each ({@link EventRecorded}) to whoever consumes them. */
@ApplicationScoped
public class Events {

    public record NewEvent(String accountId, EventType type, String phoneNumberId, String waMessageId,
                           String dedupeKey, long occurredAt, JsonObject payload) {
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    jakarta.enterprise.event.Event<EventRecorded> recorded;

    @Inject
    Sql sql;

    @Inject
    Clock clock;

    /**
     * Records the event in the caller's transaction, with what its observers write. A dedupe key seen before
     * yields nothing; a caller recording several events in one transaction passes each key once. The
     * unique constraint on the key settles races between instances: the loser's transaction rolls back
     * and its redelivered message then finds the event already there.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Event> record(NewEvent spec) {
        if (exists(spec.dedupeKey())) {
            return Optional.empty();
        }
        long now = clock.millis();
        String id = Ids.next("evt", now);
        String body = Envelope.serialise(id, spec.type(), spec.occurredAt(), spec.accountId(), spec.payload());
        Event event = new Event(id, spec.accountId(), spec.type(), spec.phoneNumberId(), spec.waMessageId(),
                spec.occurredAt(), now, spec.dedupeKey(), body);
        em.persist(event);
        recorded.fire(new EventRecorded(event, spec.payload()));
        return Optional.of(event);
    }

    /**
     * Stores an event that only its caller acts on (a test send to one target): no dedupe, no
     * announcement, so no other target hears of it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Event recordUnannounced(String accountId, EventType type, String phoneNumberId, JsonObject payload,
                                   long occurredAt) {
        String id = Ids.next("evt", clock.millis());
        String body = Envelope.serialise(id, type, occurredAt, accountId, payload);
        Event event = new Event(id, accountId, type, phoneNumberId, null, occurredAt, occurredAt, "test:" + id, body);
        em.persist(event);
        return event;
    }

    /**
     * Asks the database only: callers drop repeats within their own batch first, so the events this
     * transaction wrote need not be flushed for the query (a flush per event re-checked every entity
     * of the transaction, quadratic in a Meta batch of 50).
     */
    /**
     * Asked once per event Meta sends, so plain JDBC ({@link Sql}). It sees only what is committed or flushed:
     * events recorded earlier in the same transaction are the caller's to leave out.
     */
    private boolean exists(String dedupeKey) {
        return !sql.rows("SELECT id FROM event WHERE dedupe_key = ?", 1, dedupeKey).isEmpty();
    }

    public Event find(Account account, String eventId) {
        Event event = em.find(Event.class, eventId);
        if (event == null || !event.getAccountId().equals(account.getId())) {
            throw DomainException.notFound("event " + eventId);
        }
        return event;
    }

    public List<Event> list(Account account, String type, int limitPlusOne, String cursor) {
        if (type != null && EventType.ofWireName(type).isEmpty()) {
            throw DomainException.invalid("invalid filter",
                    List.of("type: must be one of " + String.join(", ", EventType.wireNames())));
        }
        String jpql = "SELECT e FROM Event e WHERE e.accountId = :accountId"
                + (type != null ? " AND e.type = :type" : "")
                + (cursor != null ? " AND e.id < :cursor" : "")
                + " ORDER BY e.id DESC";
        var query = em.createQuery(jpql, Event.class)
                .setParameter("accountId", account.getId())
                .setMaxResults(limitPlusOne);
        if (type != null) {
            query.setParameter("type", type);
        }
        if (cursor != null) {
            query.setParameter("cursor", cursor);
        }
        return query.getResultList();
    }
}
