package dev.pons.platform.boundary;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.logging.Logger;

import dev.pons.platform.control.DeadLetter;
import dev.pons.platform.control.Queues;

/**
 * Messages the broker gave up on arrive here and are announced as {@link DeadLetter}s (diagnostics
 * marks its pings). Deliveries and webhook log entries need nothing: their rows stay pending (or
 * received) in the database, visible in the API, and the sweepers pick them up again. Logging says
 * which id it was.
 */
@MessageDriven(name = "DeadLetterListener", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = Queues.DEAD_LETTER),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue")})
public class DeadLetterListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(DeadLetterListener.class.getName());

    @Inject
    Event<DeadLetter> deadLetters;

    @Override
    public void onMessage(Message message) {
        try {
            String kind = message.getStringProperty(Queues.KIND);
            String id = message.getBody(String.class);
            LOG.warning(() -> "dead letter: " + kind + " " + id + " could not be processed; its row stays in the"
                    + " database for the sweeper");
            deadLetters.fire(new DeadLetter(kind, id));
        } catch (JMSException e) {
            throw new IllegalStateException("unreadable dead letter", e);
        }
    }
}
