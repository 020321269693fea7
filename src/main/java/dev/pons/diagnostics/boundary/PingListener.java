package dev.pons.diagnostics.boundary;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import dev.pons.diagnostics.control.Pings;
import dev.pons.platform.control.Queues;

/** Adapter: hands the ping id to the control bean; a failure rolls back so the broker redelivers. */
@MessageDriven(name = "PingListener", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = Queues.PING),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue")})
public class PingListener implements MessageListener {

    @Inject
    Pings pings;

    @Override
    public void onMessage(Message message) {
        String id;
        try {
            id = message.getBody(String.class);
        } catch (JMSException e) {
            throw new IllegalStateException("unreadable ping message", e);
        }
        pings.countAttempt(id);
        pings.receive(id);
    }
}
