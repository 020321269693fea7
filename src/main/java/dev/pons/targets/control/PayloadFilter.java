package dev.pons.targets.control;

import dev.pons.platform.control.DomainException;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decides whether an event goes to a webhook target: a JSON filter evaluated against the event's envelope
 * ({@code {"id","type","source","occurredAt","accountId","payload":{...}}}). An event it does not match creates
 * no delivery for the target.
 *
 * <p>The language:
 * <ul>
 * <li>{@code {"<path>": <condition>, ...}}: every entry must match. A path is dot-separated field names into
 *     the envelope ({@code payload.raw.interactive.type}); it walks objects only, so a path through an array,
 *     a string or a missing field is absent.</li>
 * <li>A condition is a scalar (equality) or an object of operators that must all hold: {@code $eq}, {@code $ne},
 *     {@code $in}, {@code $nin}, {@code $exists}, {@code $startsWith}, {@code $contains}, {@code $gt},
 *     {@code $gte}, {@code $lt}, {@code $lte}.</li>
 * <li>{@code $and} and {@code $or} (non-empty arrays of filters) and {@code $not} (a filter) combine filters at
 *     any level, also beside path entries.</li>
 * </ul>
 *
 * <p>Semantics, chosen to be predictable for people who know MongoDB's queries:
 * <ul>
 * <li>Comparison is exact and case-sensitive; numbers compare by value ({@code 1} equals {@code 1.0}), never
 *     with strings ({@code 3} does not equal {@code "3"}). Equality never looks inside arrays or objects:
 *     {@code $contains} is the way to ask whether an array holds a value.</li>
 * <li>An absent field counts as {@code null}: {@code null} and {@code $eq: null} match an absent field or JSON
 *     null; {@code $ne: "x"} and {@code $nin: ["x"]} match an absent field; {@code $ne: null} demands a present,
 *     non-null value.</li>
 * <li>{@code $exists: true} matches a field that is present, also with the value null; {@code $exists: false}
 *     matches only an absent one. It is the one operator that tells the two apart.</li>
 * <li>{@code $gt}, {@code $gte}, {@code $lt}, {@code $lte} match numbers only; {@code $startsWith} matches
 *     strings only; anything else does not match (and so matches under {@code $not}).</li>
 * <li>{@code $contains} on a string field is a substring test (its operand must then be a string to match);
 *     on an array field it asks for an element equal to the operand; on anything else it does not match.</li>
 * <li>{@code $in: []} matches nothing and {@code $nin: []} everything. An empty {@code $and} or {@code $or}
 *     is refused, since whether it should match all or nothing is a guess; the empty filter {@code {}}
 *     matches every event, like no filter. An empty condition object is refused as a likely mistake.</li>
 * <li>At most {@value #MAX_BYTES} bytes of compact JSON text (UTF-8) and {@value #MAX_DEPTH} levels, a level
 *     being one filter object: the filter itself is level 1, and each filter inside {@code $and}, {@code $or}
 *     or {@code $not} is one level below the filter holding it. Regular expressions are left out on purpose:
 *     their cost per event cannot be bounded.</li>
 * </ul>
 *
 * <p>{@link #parse} checks the whole filter and refuses it with every problem found, each naming its JSON path
 * ({@code filter.$or[1]: must be an object}). The result is an immutable tree of small nodes with paths split
 * up front, so {@link #matches} walks the envelope only, allocates little and never throws; share one instance
 * between threads.
 */
public final class PayloadFilter {

    public static final int MAX_BYTES = 4096;
    public static final int MAX_DEPTH = 8;

    /** No filter: every event matches. Its JSON is {@code null}, what a target without a filter stores. */
    public static final PayloadFilter MATCH_ALL = new PayloadFilter(JsonValue.NULL, "null", PayloadFilterNode.ALWAYS);

    private final JsonValue json;
    private final String text;
    private final PayloadFilterNode root;

    private PayloadFilter(JsonValue json, String text, PayloadFilterNode root) {
        this.json = json;
        this.text = text;
        this.root = root;
    }

    /**
     * Compiles a filter; {@code null} or JSON null give {@link #MATCH_ALL}.
     *
     * @throws DomainException (invalid) listing each problem as {@code "<JSON path>: <problem>"}
     */
    public static PayloadFilter parse(JsonValue filter) {
        if (filter == null || filter.getValueType() == JsonValue.ValueType.NULL) {
            return MATCH_ALL;
        }
        String text = PayloadFilterCompiler.compactText(filter);
        return new PayloadFilter(filter, text, PayloadFilterCompiler.compile(filter));
    }

    /**
     * Compiles a filter from its JSON text, as stored; {@code null} or {@code "null"} give {@link #MATCH_ALL}.
     * The size limit applies to the text as given, so an oversized text is refused before it is parsed.
     *
     * @throws DomainException (invalid) listing each problem as {@code "<JSON path>: <problem>"}
     */
    public static PayloadFilter parse(String json) {
        if (json == null) {
            return MATCH_ALL;
        }
        // A char is at least one UTF-8 byte, so the cheap length test bounds the encoding done after it.
        if (json.length() > MAX_BYTES || json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw PayloadFilterCompiler.tooLarge();
        }
        return parse(read(json));
    }

    /** One JSON value and nothing after it: JsonReader would ignore trailing text, which hides mistakes. */
    private static JsonValue read(String json) {
        try (JsonParser parser = Json.createParser(new StringReader(json))) {
            if (parser.hasNext()) {
                parser.next();
                JsonValue value = parser.getValue();
                if (!parser.hasNext()) {
                    return value;
                }
            }
        } catch (JsonException e) {
            // Refused below, without the parser's wording, which names positions rather than paths.
        }
        throw DomainException.invalid("invalid filter", List.of("filter: must be valid JSON"));
    }

    /** Whether the event with this envelope goes to the target. */
    public boolean matches(JsonObject envelope) {
        return root.matches(envelope);
    }

    /** The filter as given: a JSON object, or JSON null for {@link #MATCH_ALL}. */
    public JsonValue json() {
        return json;
    }

    /** The compact JSON text of {@link #json()}, for storing; {@link #parse(String)} reads it back. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PayloadFilter filter && json.equals(filter.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }
}
