package dev.pons.events.control;

import jakarta.json.JsonObject;

import dev.pons.events.entity.Event;

/**
 * Announced as a CDI event for every event {@link Events} stores, inside the storing transaction.
 * The event log does not know who consumes it; those who do (fan-out, the send API's message
 * statuses) observe this synchronously, so what they write commits or rolls back with the event.
 *
 * @param payload the event's payload as it was recorded, so observers need not parse the envelope
 */
public record EventRecorded(Event event, JsonObject payload) {
}
