package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import javax.naming.NamingException;

import dev.pons.targets.control.JmsDestination;

/**
 * One attempt of a JMS target's delivery: the stored envelope as a {@link TextMessage} to the destination the
 * operator configured, carrying in properties what the HTTP headers carry, the same signature included
 * ({@link Sender#headers}). Success is the send committed: the message is sent in a local transaction of
 * its own (a transacted session, {@code SESSION_TRANSACTED}, committed here), never in the delivery's JTA transaction, since attempts
 * run outside transactions. The database stays the source of truth and the delivery id lets consumers drop a
 * message sent again after a commit whose outcome was lost (deploy/README.md, "JMS targets").
 *
 * <p>Every way a send can fail (a name the server does not bind, a broker that is down or refuses the
 * message, the target's timeout) becomes a failed {@link Outcome}, retried like a failed POST.
 */
@ApplicationScoped
public class JmsPublisher {

    static final String EVENT_ID = "PonsEventId";
    static final String EVENT_TYPE = "PonsEventType";
    static final String DELIVERY_ID = "PonsDeliveryId";
    static final String ATTEMPT = "PonsAttempt";
    static final String TIMESTAMP = "PonsTimestamp";
    static final String SIGNATURE = "PonsSignature";
    static final String SIGNATURE_PREVIOUS = "PonsSignaturePrevious";

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    Clock clock;

    private ExecutorService sendThreads;
    private ScheduledThreadPoolExecutor watchdog;
    /** JNDI name to the connection factory or destination bound there; only successful lookups are kept. */
    private final Map<String, Object> resources = new ConcurrentHashMap<>();

    /**
     * Threads of its own, as Sender's: a send waits for the broker (a broker that is down holds it until the
     * connection factory gives up), and must never hold the listeners' threads meanwhile.
     */
    @PostConstruct
    void init() {
        start(threadFactory);
    }

    void start(ThreadFactory threads) {
        sendThreads = Executors.newCachedThreadPool(threads);
        watchdog = new ScheduledThreadPoolExecutor(1, threads);
        watchdog.setRemoveOnCancelPolicy(true);
    }

    @PreDestroy
    void close() {
        sendThreads.shutdownNow();
        watchdog.shutdownNow();
    }

    /**
     * Publishes on one of this bean's threads; the stage always completes with an outcome, at the latest
     * after the target's timeout. A send still under way then may commit later: the delivery is attempted
     * again and the consumer sees its id twice, which at-least-once allows.
     */
    public CompletableFuture<Outcome> attempt(Claim claim) {
        long now = clock.millis();
        if (claim.unsendable() != null) {
            return CompletableFuture.completedFuture(new Outcome(now, 0, null, "not sent: " + claim.unsendable(), null, null));
        }
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        try {
            sendThreads.execute(() -> outcome.complete(send(claim)));
            var cutoff = watchdog.schedule(() -> outcome.complete(new Outcome(now, claim.timeoutMs(), null,
                    "timeout: the send to " + claim.jms().name() + " was not committed within " + claim.timeoutMs()
                            + " ms", null, null)), claim.timeoutMs(), TimeUnit.MILLISECONDS);
            outcome.whenComplete((done, error) -> cutoff.cancel(false));
        } catch (RejectedExecutionException stopping) {
            outcome.complete(new Outcome(now, 0, null, "not sent: the server is stopping", null, null));
        }
        return outcome;
    }

    private Outcome send(Claim claim) {
        JmsDestination target = claim.jms();
        long startedAt = clock.millis();
        long start = System.nanoTime();
        try {
            ConnectionFactory factory = lookUp(target.connectionFactory(), ConnectionFactory.class);
            Destination destination = lookUp(target.jndiName(), Destination.class);
            // The classic API: Artemis' resource adapter refuses a transacted JMSContext outside a JTA transaction,
            // but gives a transacted Session when its connection factory allows local transactions.
            try (Connection connection = factory.createConnection();
                 Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
                TextMessage message = session.createTextMessage(new String(claim.body(), StandardCharsets.UTF_8));
                for (Map.Entry<String, String> property : properties(claim, clock.millis()).entrySet()) {
                    message.setStringProperty(property.getKey(), property.getValue());
                }
                message.setJMSCorrelationID(claim.deliveryId());
                try (MessageProducer producer = session.createProducer(destination)) {
                    producer.send(message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
                }
                session.commit();
            }
            return Outcome.published(startedAt, millisSince(start), "committed to " + target.name());
        } catch (NamingException | ClassCastException unbound) {
            // Looked up again next time: the operator may be adding it to the server configuration right now.
            resources.remove(target.connectionFactory());
            resources.remove(target.jndiName());
            return new Outcome(startedAt, millisSince(start), null, "destination unavailable: " + target.name()
                    + " is not bound on this server (" + unbound.getClass().getSimpleName() + ")", null, null);
        } catch (JMSException | JMSRuntimeException e) {
            return new Outcome(startedAt, millisSince(start), null, "not published to " + target.name() + ": "
                    + describe(e), null, null);
        } catch (RuntimeException e) {
            return new Outcome(startedAt, millisSince(start), null, "not published to " + target.name() + ": " + e,
                    null, null);
        }
    }

    /**
     * The message properties of one attempt: the values of the HTTP headers of the same name
     * ({@code X-Pons-Event-Id} is {@code PonsEventId}, ...), signature included. JMS property names must be
     * identifiers, hence no dashes; the target's own headers are HTTP's only.
     */
    static Map<String, String> properties(Claim claim, long timestamp) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(EVENT_ID, claim.eventId());
        properties.put(EVENT_TYPE, claim.eventType());
        properties.put(DELIVERY_ID, claim.deliveryId());
        properties.put(ATTEMPT, String.valueOf(claim.attemptNumber()));
        properties.put(TIMESTAMP, String.valueOf(timestamp));
        properties.put(SIGNATURE, Signer.sign(claim.secret(), timestamp, claim.body()));
        if (claim.previousSecret() != null) {
            properties.put(SIGNATURE_PREVIOUS, Signer.sign(claim.previousSecret(), timestamp, claim.body()));
        }
        return properties;
    }

    private <T> T lookUp(String jndiName, Class<T> type) throws NamingException {
        Object found = resources.get(jndiName);
        if (found == null) {
            found = InitialContext.doLookup(jndiName);
            resources.put(jndiName, found);
        }
        return type.cast(found);
    }

    /** The exception's class and message, and its cause's: providers wrap the broker's reason. No secrets are in them. */
    private static String describe(Exception e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        Throwable cause = e.getCause() != null ? e.getCause()
                : e instanceof JMSException jms ? jms.getLinkedException() : null;
        if (cause != null && cause != e) {
            text += " (" + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
        }
        return text;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
