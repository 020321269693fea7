package dev.pons.incontainer;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.pons.delivery.control.Lease;
import dev.pons.platform.control.Queues;

/**
 * Reads the delivery queue, which no listener consumes in a micro-deployment: every message the code
 * under test sent stays there until a test takes it.
 */
@ApplicationScoped
public class DeliveryMessages {

    @Resource(lookup = Queues.CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    @Resource(lookup = Queues.DELIVERY)
    Queue queue;

    /**
     * The leases of the messages that arrive within {@code quiet} of each other, in the order they were
     * sent, each message's lines in order; those {@code wanted} refuses are dropped.
     */
    public List<Lease> take(Predicate<Lease> wanted, Duration quiet) {
        List<Lease> leases = new ArrayList<>();
        try (JMSContext jms = connectionFactory.createContext();
             JMSConsumer consumer = jms.createConsumer(queue)) {
            String body;
            while ((body = consumer.receiveBody(String.class, quiet.toMillis())) != null) {
                Lease.parseAll(body).stream().filter(wanted).forEach(leases::add);
            }
        }
        return leases;
    }
}
