package dev.pons.ingest.boundary;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import dev.pons.ingest.control.MetaWebhooks;
import dev.pons.platform.control.Queues;

/** Adapter from the ingest queue: processing joins the message's transaction, failures redeliver. */
@MessageDriven(name = "IngestListener", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = Queues.INGEST),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue")})
public class IngestListener implements MessageListener {

    @Inject
    MetaWebhooks webhooks;

    @Override
    public void onMessage(Message message) {
        try {
            webhooks.process(message.getBody(String.class));
        } catch (JMSException e) {
            throw new IllegalStateException("unreadable ingest message", e);
        }
    }
}
