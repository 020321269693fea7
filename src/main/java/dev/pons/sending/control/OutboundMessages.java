package dev.pons.sending.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;

import dev.pons.events.control.EventRecorded;
import dev.pons.events.control.Events;
import dev.pons.events.entity.EventType;
import dev.pons.sending.entity.OutboundMessage;

/** Stores what became of a send, and its event, together: a message is never stored without its event. */
@ApplicationScoped
public class OutboundMessages {

    @PersistenceContext
    EntityManager em;

    @Inject
    Events events;

    @Inject
    Clock clock;

    /**
     * Its own transaction, begun only after the Cloud API answered: no database connection is held
     * while Meta takes its time.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public OutboundMessage record(String accountId, String messageId, MessageRequest request, GraphReply reply,
                                  long createdAt) {
        long now = clock.millis();
        OutboundMessage message;
        EventType type;
        JsonObject payload;
        if (reply.accepted()) {
            message = OutboundMessage.sent(messageId, accountId, request.phoneNumberId(), request.to(), request.type(),
                    reply.waMessageId(), createdAt, now);
            type = EventType.MESSAGE_OUTBOUND_SENT;
            payload = sentPayload(message, request, now);
        } else {
            message = OutboundMessage.failed(messageId, accountId, request.phoneNumberId(), request.to(),
                    request.type(), reply.error().summary(), createdAt, now);
            type = EventType.MESSAGE_OUTBOUND_FAILED;
            payload = failedPayload(message, reply.error(), now);
        }
        em.persist(message);
        events.record(new Events.NewEvent(accountId, type, message.getPhoneNumberId(), message.getWaMessageId(),
                "out:" + messageId + ":" + message.getStatus(), now, payload));
        return message;
    }

    /**
     * Joins Meta's status webhooks up with the messages sent through the send API, in the transaction
     * that recorded the status event. A failed send has no WhatsApp id and so keeps its status.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void statusReported(@Observes EventRecorded recorded) {
        String waMessageId = recorded.event().getWaMessageId();
        String status = recorded.payload().getString("status", null);
        if (!EventType.MESSAGE_STATUS_UPDATED.wireName().equals(recorded.event().getType())
                || waMessageId == null || status == null) {
            return;
        }
        em.createQuery("UPDATE OutboundMessage m SET m.status = :status, m.updatedAt = :now"
                        + " WHERE m.waMessageId = :waMessageId AND m.accountId = :accountId")
                .setParameter("status", status)
                .setParameter("now", clock.millis())
                .setParameter("waMessageId", waMessageId)
                .setParameter("accountId", recorded.event().getAccountId())
                // The recording transaction writes no outbound message: nothing to flush first.
                .setFlushMode(FlushModeType.COMMIT)
                .executeUpdate();
    }

    /** {@code message.outbound.sent} (src/docs/webhooks.md, "Payloads"); {@code text} is the body of a text message. */
    static JsonObject sentPayload(OutboundMessage message, MessageRequest request, long timestamp) {
        JsonObjectBuilder payload = Json.createObjectBuilder()
                .add("messageId", message.getId())
                .add("waMessageId", message.getWaMessageId())
                .add("phoneNumberId", message.getPhoneNumberId())
                .add("to", message.getRecipient())
                .add("type", message.getType());
        if (request.textBody() != null) {
            payload.add("text", request.textBody());
        }
        return payload.add("timestamp", timestamp).build();
    }

    /** {@code message.outbound.failed} (src/docs/webhooks.md, "Payloads"). */
    static JsonObject failedPayload(OutboundMessage message, SendError error, long timestamp) {
        return Json.createObjectBuilder()
                .add("messageId", message.getId())
                .add("phoneNumberId", message.getPhoneNumberId())
                .add("to", message.getRecipient())
                .add("type", message.getType())
                .add("error", error.toJson())
                .add("timestamp", timestamp)
                .build();
    }
}
