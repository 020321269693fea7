package dev.pons.targets.control;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pons.events.entity.EventType;
import dev.pons.targets.entity.WebhookTarget;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Text;

/**
 * The fields of a create or patch body, read and checked one by one. Each problem is recorded as
 * {@code "<field>: <what to fix>"} so clients (and the dashboard) can show it next to the field.
 * A field that is absent stays null: PATCH changes only what it names.
 */
final class TargetChanges {

    static final Set<String> FIELDS = Set.of("name", "url", "events", "phoneNumberIds", "enabled", "maxAttempts",
            "timeoutMs", "initialBackoffMs", "maxBackoffMs", "headers", "filter", "ordering", "rateLimitPerSecond",
            "type", "destination");

    /** The longest phone number id (Meta's are numeric, a number's column holds 64) or event type. */
    static final int MAX_ENTRY_LENGTH = 64;
    static final int MAX_JOINED_LENGTH = 4_000;

    final List<String> problems = new ArrayList<>();
    String name;
    String url;
    /** Null when the body does not name {@code type}. */
    String type;
    /** A JMS target's granted destination name; null when the body does not name one. */
    String destination;
    List<String> events;
    List<String> phoneNumberIds;
    Boolean enabled;
    Integer maxAttempts;
    Integer timeoutMs;
    Long initialBackoffMs;
    Long maxBackoffMs;
    /** Null when the body does not name {@code headers}; empty to clear them. */
    Map<String, String> headers;
    /** Null when the body does not name {@code ordering}. */
    String ordering;
    /** Whether the body names {@code rateLimitPerSecond}; its value, null for no limit. */
    boolean rateLimitNamed;
    Integer rateLimitPerSecond;
    /** Null when the body does not name {@code filter}; {@link PayloadFilter#MATCH_ALL} to remove it. */
    PayloadFilter filter;

    static TargetChanges read(JsonObject body) {
        TargetChanges changes = new TargetChanges();
        if (body == null) {
            changes.problems.add("body: a JSON object is required");
            return changes;
        }
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field) && !READ_ONLY.contains(field)) {
                changes.problems.add(field + ": unknown field");
            }
        }
        changes.name = changes.string(body, "name", 200);
        // null is as good as absent for these two: a target sent back as shown carries the other type's as null.
        changes.url = body.get("url") == JsonValue.NULL ? null : changes.string(body, "url", 2048);
        changes.type = changes.type(body);
        changes.destination = body.get("destination") == JsonValue.NULL ? null : changes.string(body, "destination", 100);
        changes.events = changes.strings(body, "events");
        changes.phoneNumberIds = changes.strings(body, "phoneNumberIds");
        changes.enabled = changes.bool(body, "enabled");
        changes.maxAttempts = changes.integer(body, "maxAttempts", 1, 20);
        changes.timeoutMs = changes.integer(body, "timeoutMs", 1_000, 60_000);
        Integer initial = changes.integer(body, "initialBackoffMs", 100, 86_400_000);
        Integer max = changes.integer(body, "maxBackoffMs", 1_000, 86_400_000);
        changes.initialBackoffMs = initial == null ? null : initial.longValue();
        changes.maxBackoffMs = max == null ? null : max.longValue();
        if (body.containsKey("headers")) {
            changes.headers = CustomHeaders.read(body.get("headers"), changes.problems);
        }
        if (body.containsKey("filter")) {
            try {
                changes.filter = PayloadFilter.parse(body.get("filter"));
            } catch (DomainException invalid) {
                changes.problems.addAll(invalid.details());
            }
        }
        changes.ordering = changes.ordering(body);
        if (body.containsKey("rateLimitPerSecond")) {
            changes.rateLimitNamed = true;
            changes.rateLimitPerSecond = changes.integer(body, "rateLimitPerSecond", 1, 10_000);
        }
        changes.checkEvents();
        return changes;
    }

    /** Fields the API answers with; a client that sends a target back unchanged is not refused for them. */
    static final Set<String> READ_ONLY = Set.of("id", "signingSecretPreview", "consecutiveFailures", "lastSuccessAt",
            "lastFailureAt", "lastError", "nextProbeAt", "disabledReason", "previousSecretExpiresAt", "createdAt", "updatedAt");

    private void checkEvents() {
        if (events == null) {
            return;
        }
        if (events.isEmpty()) {
            problems.add("events: must name at least one of " + String.join(", ", EventType.wireNames()));
        }
        for (String event : events) {
            if (EventType.ofWireName(event).isEmpty()) {
                problems.add("events: unknown event type '" + printable(event) + "'; use "
                        + String.join(", ", EventType.wireNames()));
            }
        }
        events = List.copyOf(new LinkedHashSet<>(events));
    }

    private String string(JsonObject body, String field, int maxLength) {
        JsonValue value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonString text)) {
            problems.add(field + ": must be a string");
            return null;
        }
        String s = text.getString().strip();
        if (s.isEmpty()) {
            problems.add(field + ": must not be empty");
            return null;
        }
        if (s.length() > maxLength) {
            problems.add(field + ": must be at most " + maxLength + " characters");
            return null;
        }
        if (Text.hasControlCharacters(s)) {
            problems.add(field + ": must not contain control characters");
            return null;
        }
        return s;
    }

    private List<String> strings(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            problems.add(field + ": must be an array of strings");
            return null;
        }
        List<String> result = new ArrayList<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonString s) || s.getString().isBlank()) {
                problems.add(field + ": must be an array of non-empty strings");
                return null;
            }
            String entry = s.getString().strip();
            String problem = Text.problem(field, entry, MAX_ENTRY_LENGTH);
            if (problem != null) {
                problems.add(problem.replace(field + ": must", field + ": each entry must"));
                return null;
            }
            result.add(entry);
        }
        if (result.size() > 100) {
            problems.add(field + ": at most 100 entries");
            return null;
        }
        // Stored comma-separated in a column of 4,000 characters.
        if (String.join(",", result).length() > MAX_JOINED_LENGTH) {
            problems.add(field + ": at most " + MAX_JOINED_LENGTH + " characters together");
            return null;
        }
        return result;
    }

    private String type(JsonObject body) {
        JsonValue value = body.get("type");
        if (value == null) {
            return null;
        }
        if (value instanceof JsonString text && (WebhookTarget.HTTP.equals(text.getString())
                || WebhookTarget.JMS.equals(text.getString()))) {
            return text.getString();
        }
        problems.add("type: must be \"http\" or \"jms\"");
        return null;
    }

    private String ordering(JsonObject body) {
        JsonValue value = body.get("ordering");
        if (value == null) {
            return null;
        }
        if (value instanceof JsonString text && (WebhookTarget.FIFO.equals(text.getString())
                || WebhookTarget.UNORDERED.equals(text.getString()))) {
            return text.getString();
        }
        problems.add("ordering: must be \"fifo\" or \"unordered\"");
        return null;
    }

    private Boolean bool(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null) {
            return null;
        }
        if (value == JsonValue.TRUE) {
            return true;
        }
        if (value == JsonValue.FALSE) {
            return false;
        }
        problems.add(field + ": must be true or false");
        return null;
    }

    private Integer integer(JsonObject body, String field, int min, int max) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            problems.add(field + ": must be a whole number between " + min + " and " + max);
            return null;
        }
        long n;
        try {
            n = number.longValueExact();
        } catch (ArithmeticException tooBig) {
            n = Long.MAX_VALUE;
        }
        if (n < min || n > max) {
            problems.add(field + ": must be between " + min + " and " + max);
            return null;
        }
        return (int) n;
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
