package dev.pons.events.control;

import jakarta.json.JsonObject;

import dev.pons.events.entity.Event;
import dev.pons.events.entity.EventType;

/**
 * Announced as a CDI event for every event {@link Events} stores, inside the storing transaction.
 * The event log does not know who consumes it; those who do (fan-out, the send API's message
 * statuses) observe this synchronously, so what they write commits or rolls back with the event.
 *
 * @param payload the event's payload as it was recorded, so observers need not parse the envelope
 */
public record EventRecorded(Event event, JsonObject payload) {

    /** The envelope the event's targets receive, as JSON (it is built anew: call it once per event). */
    public JsonObject envelope() {
        return Envelope.of(event.getId(), EventType.ofWireName(event.getType()).orElseThrow(), event.getOccurredAt(),
                event.getAccountId(), payload);
    }
}
