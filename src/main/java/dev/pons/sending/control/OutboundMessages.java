package dev.pons.sending.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

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

    /**
     * Its own transaction, begun only after the Cloud API answered: no database connection is held
     * while Meta takes its time.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public OutboundMessage record(String accountId, String messageId, MessageRequest request, GraphReply reply,
                                  long createdAt) {
        long now = System.currentTimeMillis();
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
