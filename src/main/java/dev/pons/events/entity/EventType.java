package dev.pons.events.entity;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The event types of src/docs/webhooks.md, by their wire names. */
public enum EventType {

    MESSAGE_INBOUND_RECEIVED("message.inbound.received", "meta_webhook"),
    MESSAGE_STATUS_UPDATED("message.status.updated", "meta_webhook"),
    MESSAGE_OUTBOUND_SENT("message.outbound.sent", "pons_send"),
    MESSAGE_OUTBOUND_FAILED("message.outbound.failed", "pons_send");

    private final String wireName;
    private final String source;

    EventType(String wireName, String source) {
        this.wireName = wireName;
        this.source = source;
    }

    public String wireName() {
        return wireName;
    }

    public String source() {
        return source;
    }

    public static Optional<EventType> ofWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }
}
