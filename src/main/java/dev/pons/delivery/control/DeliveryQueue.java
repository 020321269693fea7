package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.platform.control.Queues;

/**
 * Hands leases to the delivery queue once the transaction that took them has committed.
 *
 * <p>The database is the source of truth; a queue message only says "this one is ready, go". So
 * messages are sent after the commit, outside any transaction and non-persistent: no two-phase
 * commit with the broker and no journal sync per delivery, either of which would bound throughput. A
 * message lost with a crash or a broker restart costs only time: its lease expires and the sweeper
 * hands the delivery out again.
 */
@ApplicationScoped
public class DeliveryQueue {

    private static final Logger LOG = Logger.getLogger(DeliveryQueue.class.getName());

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Resource
    ManagedThreadFactory threadFactory;

    /**
     * Sends run on a thread of their own, never on the server's shared pool: while the broker is away
     * every send blocks on reconnecting, and sends queued on the shared pool would starve the webhook
     * requests behind them, leaving Meta's webhooks unanswered. What does not fit the queue is
     * dropped; the sweeper hands it out once its lease expires. How much is queued at all is bounded by
     * {@link Lanes}: only what this instance has room for is handed out.
     */
    private ThreadPoolExecutor sender;

    static final int MAX_QUEUED_SENDS = 10_000;

    @PostConstruct
    void init() {
        sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED_SENDS),
                threadFactory, (dropped, pool) -> LOG.warning("delivery queue sends backed up (is the broker"
                + " reachable?); dropped one, the sweeper hands its deliveries out when their leases expire"));
    }

    @PreDestroy
    void close() {
        sender.shutdownNow();
    }

    @Resource(lookup = Queues.CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    @Resource(lookup = Queues.DELIVERY)
    Queue queue;

    /** The deliveries of one commit travel together: one message, one query to take them. */
    @Inject
    @ConfigProperty(name = "pons.delivery.leases-per-message")
    int leasesPerMessage;

    /** Sends the leases when the caller's transaction commits; nothing if it rolls back. */
    public void afterCommit(List<Lease> leases) {
        if (leases.isEmpty()) {
            return;
        }
        AfterCommit.collector(transactions, Pending.class, Pending::new).leases.addAll(leases);
    }

    /** Sends soon, on the sender's thread. Failures are logged: the sweeper covers them. */
    public void send(List<Lease> leases) {
        if (!leases.isEmpty()) {
            sender.execute(() -> sendNow(leases));
        }
    }

    private void sendNow(List<Lease> leases) {
        try (JMSContext jms = connectionFactory.createContext()) {
            JMSProducer producer = jms.createProducer()
                    .setDeliveryMode(DeliveryMode.NON_PERSISTENT)
                    .setProperty(Queues.KIND, "delivery");
            for (int from = 0; from < leases.size(); from += leasesPerMessage) {
                producer.send(queue, Lease.message(leases.subList(from, Math.min(leases.size(), from + leasesPerMessage))));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not queue " + leases.size() + " deliveries (" + e
                    + "); the sweeper hands them out when their leases expire");
        }
    }

    /** Runs on the committing thread, whose transaction has ended but is still attached: sends elsewhere. */
    private final class Pending implements Synchronization {

        final List<Lease> leases = new ArrayList<>();

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                send(List.copyOf(leases));
            }
        }
    }
}
