package dev.pons.delivery.boundary;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import dev.pons.delivery.control.DeliveryWorker;
import dev.pons.platform.control.Queues;

/**
 * Adapter from the delivery queue to the worker. Errors propagate: the broker redelivers, and after
 * its limit moves the message to the dead-letter queue; the delivery row stays pending and visible.
 */
@MessageDriven(name = "DeliveryListener", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = Queues.DELIVERY),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue")})
public class DeliveryListener implements MessageListener {

    @Inject
    DeliveryWorker worker;

    @Override
    public void onMessage(Message message) {
        try {
            worker.attemptIfDue(message.getBody(String.class));
        } catch (JMSException e) {
            throw new IllegalStateException("unreadable delivery message", e);
        }
    }
}
