package dev.pons.events.control;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import dev.pons.events.entity.EventType;

/** The JSON every target receives (src/docs/webhooks.md, "The envelope"), in its documented field order. */
public final class Envelope {

    private Envelope() {
    }

    public static String serialise(String eventId, EventType type, long occurredAt, String accountId, JsonObject payload) {
        return of(eventId, type, occurredAt, accountId, payload).toString();
    }

    /** The envelope as a JSON object, for what reads it (payload filters) without parsing the stored text. */
    public static JsonObject of(String eventId, EventType type, long occurredAt, String accountId, JsonObject payload) {
        return Json.createObjectBuilder()
                .add("id", eventId)
                .add("type", type.wireName())
                .add("source", type.source())
                .add("occurredAt", occurredAt)
                .add("accountId", accountId)
                .add("payload", payload)
                .build();
    }
}
