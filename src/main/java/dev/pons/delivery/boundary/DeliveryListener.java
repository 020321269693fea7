package dev.pons.delivery.boundary;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import dev.pons.delivery.control.DeliveryWorker;
import dev.pons.platform.control.Queues;

/**
 * Adapter from the delivery queue to the worker. Not transactional: a message is only a hint to
 * go, the database holds the delivery and its lease, so receiving one needs no two-phase commit with
 * the broker. Errors propagate: the broker redelivers where it can, and whatever a lost message
 * carried the sweeper hands out again once its lease expires.
 */
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
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
