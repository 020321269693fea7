package dev.pons.incontainer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.control.Numbers;
import dev.pons.accounts.entity.Account;
import dev.pons.delivery.entity.Delivery;
import dev.pons.events.control.Events;
import dev.pons.events.entity.Event;
import dev.pons.events.entity.EventType;
import dev.pons.platform.control.Ids;
import dev.pons.targets.control.JmsDestinations;
import dev.pons.targets.control.Targets;
import dev.pons.targets.entity.WebhookTarget;

/**
 * An account with a number and a target of its own for each test, made by the application's own
 * control beans; the database outlives a run, so nothing here may collide with what an earlier run left.
 */
@ApplicationScoped
public class Fixtures {

    /** What a test needs to know of its target. */
    public record Target(String accountId, String targetId, String phoneNumberId) {
    }

    /** A JMS target and the signing secret its messages are signed with. */
    public record JmsTarget(Target target, String signingSecret) {
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    Accounts accounts;

    @Inject
    Numbers numbers;

    @Inject
    Targets targets;

    @Inject
    Events events;

    @Inject
    JmsDestinations jmsDestinations;

    @Inject
    Clock clock;

    /**
     * A target for inbound messages of a new account's new number, on a port nothing listens on (no
     * test sends); {@code settings} as the API takes them ({@code timeoutMs}, {@code initialBackoffMs}, ...).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Target target(JsonObject settings) {
        Account account = accounts.create("in-container test").account();
        String phoneNumberId = "9" + ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 1_000_000_000_000_000L);
        numbers.add(account, phoneNumberId, "+15550100000", null);
        JsonObject body = Json.createObjectBuilder(settings)
                .add("url", "http://127.0.0.1:9/in-container")
                .add("events", Json.createArrayBuilder().add(EventType.MESSAGE_INBOUND_RECEIVED.wireName()))
                .build();
        WebhookTarget target = targets.create(account, body).target();
        return new Target(account.getId(), target.getId(), phoneNumberId);
    }

    /**
     * A JMS target for inbound messages of a new account's new number, publishing to {@code destination}
     * (a name the server's configuration lists), which the account is granted first.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public JmsTarget jmsTarget(String destination) {
        Account account = accounts.create("in-container test").account();
        String phoneNumberId = "9" + ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 1_000_000_000_000_000L);
        numbers.add(account, phoneNumberId, "+15550100000", null);
        jmsDestinations.grant(account, destination);
        JsonObject body = Json.createObjectBuilder()
                .add("type", "jms")
                .add("destination", destination)
                .add("timeoutMs", 5_000)
                .add("events", Json.createArrayBuilder().add(EventType.MESSAGE_INBOUND_RECEIVED.wireName()))
                .build();
        Targets.WithSecret created = targets.create(account, body);
        return new JmsTarget(new Target(account.getId(), created.target().getId(), phoneNumberId), created.signingSecret());
    }

    /** Takes the account's grant of {@code destination} back. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void revoke(Target target, String destination) {
        jmsDestinations.revoke(em.find(Account.class, target.accountId()), destination);
    }

    /**
     * Pending deliveries to the target that nobody holds, one per due time, each of an event of its own
     * that announced nothing (no fan-out, no queue message). Their ids, in the order of {@code dueAt}.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<String> deliveries(Target target, long... dueAt) {
        WebhookTarget webhookTarget = em.find(WebhookTarget.class, target.targetId());
        long now = clock.millis();
        List<String> ids = new ArrayList<>();
        for (long due : dueAt) {
            Event event = events.recordUnannounced(target.accountId(), EventType.MESSAGE_INBOUND_RECEIVED,
                    target.phoneNumberId(), Json.createObjectBuilder().add("due", due).build(), now);
            Delivery delivery = new Delivery(Ids.next("dlv", now), event.getId(), target.targetId(), target.accountId(),
                    event.getType(), webhookTarget.getMaxAttempts(), now, null);
            em.persist(delivery);
            ids.add(delivery.getId());
        }
        em.flush();
        for (int i = 0; i < ids.size(); i++) {
            em.createNativeQuery("UPDATE delivery SET next_attempt_at = ? WHERE id = ?")
                    .setParameter(1, dueAt[i])
                    .setParameter(2, ids.get(i))
                    .executeUpdate();
        }
        return ids;
    }
}
