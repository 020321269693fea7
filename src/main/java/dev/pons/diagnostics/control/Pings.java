package dev.pons.diagnostics.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.annotation.Resource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;

import dev.pons.diagnostics.entity.Ping;
import dev.pons.platform.control.DeadLetter;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Ids;
import dev.pons.platform.control.Queues;
import dev.pons.platform.control.CommittedRow;

@ApplicationScoped
public class Pings {

    /** What ping messages carry in {@link Queues#KIND}. */
    static final String KIND = "ping";

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    @JMSConnectionFactory(Queues.CONNECTION_FACTORY)
    JMSContext jms;

    @Resource(lookup = Queues.PING)
    Queue pingQueue;

    /** Stores the ping and enqueues its id in one transaction: both happen or neither. */
    @Transactional
    public Ping send(boolean poison) {
        long now = clock.millis();
        Ping ping = new Ping(Ids.next("ping", now), poison, now);
        em.persist(ping);
        jms.createProducer().setProperty(Queues.KIND, KIND).send(pingQueue, ping.getId());
        return ping;
    }

    public Ping find(String id) {
        Ping ping = em.find(Ping.class, id);
        if (ping == null) {
            throw DomainException.notFound("ping " + id);
        }
        return ping;
    }

    /**
     * Counted in its own transaction so redeliveries stay visible when the receiving one rolls back. The
     * row may lag its message by a few milliseconds (the XA branches commit one after the other; with
     * Artemis the message often wins): {@link CommittedRow} looks again briefly.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void countAttempt(String id) {
        Ping ping = CommittedRow.await(() -> em.find(Ping.class, id));
        if (ping != null) {
            ping.countAttempt();
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void receive(String id) {
        Ping ping = em.find(Ping.class, id);
        if (ping == null) {
            throw new IllegalStateException("ping " + id + " is not in the database");
        }
        if (ping.isPoison()) {
            throw new IllegalStateException("poison ping " + id + " refused on purpose");
        }
        if (ping.getReceivedAt() == null) {
            ping.received(clock.millis());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void deadLettered(@Observes DeadLetter letter) {
        if (!KIND.equals(letter.kind())) {
            return;
        }
        Ping ping = em.find(Ping.class, letter.id());
        if (ping != null && ping.getDeadLetteredAt() == null) {
            ping.deadLettered(clock.millis());
        }
    }
}
