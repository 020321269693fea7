package dev.pons.ingest.control;

import jakarta.json.JsonObject;

/**
 * One event found in a Meta webhook body, before it is routed to an account.
 *
 * @param type          {@link #MESSAGE_RECEIVED} or {@link #STATUS_UPDATED}
 * @param phoneNumberId the business number Meta reported it for: the routing key
 * @param waMessageId   Meta's message id ({@code wamid....})
 * @param dedupeKey     equal for Meta's redeliveries of the same message or status, distinct otherwise
 * @param occurredAt    Meta's timestamp in epoch milliseconds, not the time it was received
 * @param payload       the event payload of src/docs/webhooks.md ("Payloads"), in its documented key order
 */
public record ParsedEvent(String type, String phoneNumberId, String waMessageId, String dedupeKey,
        long occurredAt, JsonObject payload) {

    public static final String MESSAGE_RECEIVED = "message.inbound.received";
    public static final String STATUS_UPDATED = "message.status.updated";
}
