package dev.pons.targets.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.pons.accounts.entity.Account;
import dev.pons.events.control.Events;
import dev.pons.events.entity.Event;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Text;
import dev.pons.targets.entity.WebhookTarget;

/**
 * Whether an event's envelope passes a target's payload filter. A filter is compiled once and kept by
 * its stored text, so fan-out never parses one per event; the cache is bounded by a count, so it cannot
 * grow with the number of targets beyond it.
 */
@ApplicationScoped
public class TargetFilters {

    static final int MAX_CACHED = 10_000;

    /** The most events one evaluation reads: a try of a filter, not a scan of the log. */
    static final int MAX_EVALUATED = 500;

    /** What trying a filter found. */
    public sealed interface Trial {
    }

    /** On one event. */
    public record Matches(boolean matches) implements Trial {
    }

    /** On the account's last {@code of} events. */
    public record Matched(int matched, int of) implements Trial {
    }

    @Inject
    Events events;

    private final Map<String, PayloadFilter> compiled = new ConcurrentHashMap<>();

    public boolean hasFilter(WebhookTarget target) {
        return target.getPayloadFilter() != null;
    }

    public boolean matches(WebhookTarget target, JsonObject envelope) {
        String text = target.getPayloadFilter();
        return text == null || compiled(text).matches(envelope);
    }

    /**
     * Tries a filter before it is saved: on one event ({@code eventId}) or on the account's last
     * {@code limit} events, each as its envelope was delivered.
     */
    public Trial evaluate(Account account, JsonObject body) {
        if (body == null) {
            throw DomainException.invalid("invalid evaluation", List.of("body: a JSON object is required"));
        }
        PayloadFilter filter = PayloadFilter.parse(body.get("filter"));
        boolean byId = body.get("eventId") instanceof JsonString;
        boolean byCount = body.get("limit") instanceof JsonNumber limit && limit.isIntegral()
                && limit.intValue() >= 1 && limit.intValue() <= MAX_EVALUATED;
        if (byId == byCount) {
            throw DomainException.invalid("invalid evaluation", List.of("eventId or limit: name one event id, or"
                    + " a limit from 1 to " + MAX_EVALUATED + " for the account's last events"));
        }
        if (byId) {
            String eventId = body.getString("eventId");
            if (Text.hasControlCharacters(eventId)) {
                throw DomainException.invalid("invalid evaluation", List.of("eventId: must not contain control characters"));
            }
            Event event = events.find(account, eventId);
            return new Matches(filter.matches(envelope(event)));
        }
        List<Event> last = events.list(account, null, body.getInt("limit"), null);
        int matched = (int) last.stream().filter(event -> filter.matches(envelope(event))).count();
        return new Matched(matched, last.size());
    }

    private static JsonObject envelope(Event event) {
        return Json.createReader(new StringReader(event.getBody())).readObject();
    }

    private PayloadFilter compiled(String text) {
        PayloadFilter filter = compiled.get(text);
        if (filter == null) {
            if (compiled.size() >= MAX_CACHED) {
                compiled.clear();
            }
            filter = PayloadFilter.parse(text);
            compiled.put(text, filter);
        }
        return filter;
    }
}
