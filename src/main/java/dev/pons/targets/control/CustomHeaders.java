package dev.pons.targets.control;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers a target adds to every attempt. Names are HTTP tokens; values printable ASCII, so no
 * header can be split or smuggled. Names that HTTP itself, the signature or the receiver's check of
 * it depend on are refused, so a custom header can never change what a delivery means.
 */
public final class CustomHeaders {

    static final int MAX_HEADERS = 10;
    static final int MAX_NAME = 64;
    static final int MAX_VALUE = 1_024;
    static final String MASK = "••••";
    static final int SHOWN_CHARS = 4;

    static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "transfer-encoding",
            "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "user-agent");
    static final List<String> RESERVED_PREFIXES = List.of("proxy-", "x-pons-", "webhook-");

    private CustomHeaders() {
    }

    /**
     * The map a body's {@code headers} field names, each problem added as {@code headers.<name>: …};
     * {@code null} or an empty object clear a target's headers.
     */
    static Map<String, String> read(JsonValue value, List<String> problems) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Map.of();
        }
        if (!(value instanceof JsonObject object)) {
            problems.add("headers: must be an object of header names and values");
            return Map.of();
        }
        if (object.size() > MAX_HEADERS) {
            problems.add("headers: at most " + MAX_HEADERS + " headers");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            String name = entry.getKey();
            String field = "headers." + printableName(name);
            if (name.isEmpty() || name.length() > MAX_NAME || !isToken(name)) {
                problems.add(field + ": a header name is 1 to " + MAX_NAME
                        + " letters, digits or !#$%&'*+-.^_`|~");
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED.contains(lower) || RESERVED_PREFIXES.stream().anyMatch(lower::startsWith)) {
                problems.add(field + ": is set by Pons or by HTTP itself and cannot be a custom header");
                continue;
            }
            if (!seen.add(lower)) {
                problems.add(field + ": named twice (header names are case-insensitive)");
                continue;
            }
            if (!(entry.getValue() instanceof JsonString text)) {
                problems.add(field + ": the value must be a string");
                continue;
            }
            String headerValue = text.getString();
            if (headerValue.startsWith(MASK)) {
                problems.add(field + ": is the masked value the API shows; send the value itself, or leave"
                        + " headers out to keep them as they are");
            } else if (headerValue.length() > MAX_VALUE || !isPrintableAscii(headerValue)) {
                // The value itself is never echoed: it is a secret.
                problems.add(field + ": the value must be at most " + MAX_VALUE
                        + " printable ASCII characters (no line breaks or control characters)");
            } else {
                headers.put(name, headerValue);
            }
        }
        return Collections.unmodifiableMap(headers);
    }

    /** What the API shows of a value: enough to tell two apart, not enough to use one. */
    static String masked(String value) {
        return value.length() < 2 * SHOWN_CHARS ? MASK : MASK + value.substring(value.length() - SHOWN_CHARS);
    }

    static String json(Map<String, String> headers) {
        JsonObjectBuilder object = Json.createObjectBuilder();
        headers.forEach(object::add);
        return object.build().toString();
    }

    static String previewJson(Map<String, String> headers) {
        JsonObjectBuilder object = Json.createObjectBuilder();
        headers.forEach((name, value) -> object.add(name, masked(value)));
        return object.build().toString();
    }

    /** The map stored as {@link #json} or {@link #previewJson}, in its order; empty for none. */
    public static Map<String, String> parse(String json) {
        if (json == null) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Json.createReader(new StringReader(json)).readObject()
                .forEach((name, value) -> headers.put(name, ((JsonString) value).getString()));
        return Collections.unmodifiableMap(headers);
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = c < 128 && Character.isLetterOrDigit(c);
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPrintableAscii(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }

    /** A refused name may hold anything: show it without control characters, and not too long. */
    private static String printableName(String name) {
        String shown = name.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown.length() > MAX_NAME ? shown.substring(0, MAX_NAME) + "…" : shown;
    }
}
