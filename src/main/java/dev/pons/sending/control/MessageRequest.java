package dev.pons.sending.control;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Text;

/**
 * A message as the send API takes it, checked field by field, and its translation into the message
 * object of the Cloud API. Every problem is reported at once as {@code "<field>: <what to fix>"}.
 * Template components are passed through untouched: Meta validates them against the approved
 * template, which we do not know.
 */
public record MessageRequest(String phoneNumberId, String to, String type, String textBody, boolean previewUrl,
                             String templateName, String templateLanguage, JsonArray templateComponents,
                             String contextMessageId) {

    public static final String TEXT = "text";
    public static final String TEMPLATE = "template";

    /** The Cloud API's limit for a text message body. */
    static final int MAX_TEXT_LENGTH = 4096;

    private static final Set<String> FIELDS = Set.of("phoneNumberId", "to", "type", "text", "template", "context");
    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("[0-9]{1,64}");
    // Meta takes formatted numbers ("+1 (650) 555-1234") as well as bare WhatsApp ids.
    private static final Pattern RECIPIENT = Pattern.compile("\\+?[0-9][0-9 ().-]{1,38}[0-9]");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,2}");

    public static MessageRequest read(JsonObject body) {
        Reader reader = new Reader();
        if (body == null) {
            throw DomainException.invalid("invalid message", List.of("body: a JSON object is required"));
        }
        reader.unknownFields(body, "", FIELDS);
        String phoneNumberId = reader.string(body, "phoneNumberId", "", true, 64);
        if (phoneNumberId != null && !PHONE_NUMBER_ID.matcher(phoneNumberId).matches()) {
            reader.problem("phoneNumberId: must be Meta's numeric phone number id");
        }
        String to = reader.string(body, "to", "", true, 40);
        if (to != null && !RECIPIENT.matcher(to).matches()) {
            reader.problem("to: must be the recipient's phone number or WhatsApp id, e.g. +16505551234");
        }
        String type = reader.string(body, "type", "", true, 20);
        if (type != null && !type.equals(TEXT) && !type.equals(TEMPLATE)) {
            reader.problem("type: must be text or template");
            type = null;
        }

        JsonObject text = reader.object(body, "text", "");
        JsonObject template = reader.object(body, "template", "");
        String textBody = null;
        boolean previewUrl = false;
        String templateName = null;
        String templateLanguage = null;
        JsonArray components = null;
        if (TEXT.equals(type)) {
            if (template != null) {
                reader.problem("template: only for type template");
            }
            if (text == null) {
                reader.problemUnlessReported("text", "text: is required for type text, e.g. {\"body\":\"Hello\"}");
            } else {
                reader.unknownFields(text, "text.", Set.of("body", "previewUrl"));
                textBody = reader.freeText(text, "body", "text.", MAX_TEXT_LENGTH);
                previewUrl = reader.bool(text, "previewUrl", "text.");
            }
        } else if (TEMPLATE.equals(type)) {
            if (text != null) {
                reader.problem("text: only for type text");
            }
            if (template == null) {
                reader.problemUnlessReported("template",
                        "template: is required for type template, e.g. {\"name\":\"hello_world\",\"language\":\"en_US\"}");
            } else {
                reader.unknownFields(template, "template.", Set.of("name", "language", "components"));
                templateName = reader.string(template, "name", "template.", true, 512);
                templateLanguage = reader.language(template);
                components = reader.components(template);
            }
        }

        String contextMessageId = null;
        JsonObject context = reader.object(body, "context", "");
        if (context != null) {
            reader.unknownFields(context, "context.", Set.of("messageId"));
            contextMessageId = reader.string(context, "messageId", "context.", true, 200);
        }
        if (!reader.problems.isEmpty()) {
            throw DomainException.invalid("invalid message", reader.problems);
        }
        return new MessageRequest(phoneNumberId, to, type, textBody, previewUrl, templateName, templateLanguage,
                components, contextMessageId);
    }

    /** The body of {@code POST /{phone-number-id}/messages}, in Meta's field names. */
    public JsonObject toGraphBody() {
        JsonObjectBuilder message = Json.createObjectBuilder()
                .add("messaging_product", "whatsapp")
                .add("recipient_type", "individual")
                .add("to", to);
        if (contextMessageId != null) {
            message.add("context", Json.createObjectBuilder().add("message_id", contextMessageId));
        }
        message.add("type", type);
        if (TEXT.equals(type)) {
            message.add("text", Json.createObjectBuilder().add("body", textBody).add("preview_url", previewUrl));
        } else {
            JsonObjectBuilder template = Json.createObjectBuilder()
                    .add("name", templateName)
                    .add("language", Json.createObjectBuilder().add("code", templateLanguage));
            if (templateComponents != null) {
                template.add("components", templateComponents);
            }
            message.add("template", template);
        }
        return message.build();
    }

    private static final class Reader {

        final List<String> problems = new ArrayList<>();

        void problem(String problem) {
            problems.add(problem);
        }

        /** A field that was there but of the wrong shape is already reported; "is required" would mislead. */
        void problemUnlessReported(String field, String problem) {
            if (problems.stream().noneMatch(p -> p.startsWith(field + ":"))) {
                problems.add(problem);
            }
        }

        void unknownFields(JsonObject object, String prefix, Set<String> known) {
            for (String field : object.keySet()) {
                if (!known.contains(field)) {
                    problems.add(prefix + printable(field) + ": unknown field");
                }
            }
        }

        String string(JsonObject object, String field, String prefix, boolean required, int maxLength) {
            String s = anyText(object, field, prefix, required, maxLength);
            if (Text.hasControlCharacters(s)) {
                problems.add(prefix + field + ": must not contain control characters");
                return null;
            }
            return s;
        }

        /** A message's text: lines and tabs are its own, other control characters no one can read. */
        String freeText(JsonObject object, String field, String prefix, int maxLength) {
            String s = anyText(object, field, prefix, true, maxLength);
            if (Text.hasControlCharactersBesidesLineBreaks(s)) {
                problems.add(prefix + field + ": must not contain control characters other than tabs and line breaks");
                return null;
            }
            return s;
        }

        private String anyText(JsonObject object, String field, String prefix, boolean required, int maxLength) {
            JsonValue value = object.get(field);
            if (value == null || value == JsonValue.NULL) {
                if (required) {
                    problems.add(prefix + field + ": is required");
                }
                return null;
            }
            if (!(value instanceof JsonString string)) {
                problems.add(prefix + field + ": must be a string");
                return null;
            }
            String s = string.getString().strip();
            if (s.isEmpty()) {
                problems.add(prefix + field + ": must not be empty");
                return null;
            }
            if (s.length() > maxLength) {
                problems.add(prefix + field + ": must be at most " + maxLength + " characters");
                return null;
            }
            return s;
        }

        JsonObject object(JsonObject parent, String field, String prefix) {
            JsonValue value = parent.get(field);
            if (value == null || value == JsonValue.NULL) {
                return null;
            }
            if (!(value instanceof JsonObject object)) {
                problems.add(prefix + field + ": must be an object");
                return null;
            }
            return object;
        }

        boolean bool(JsonObject object, String field, String prefix) {
            JsonValue value = object.get(field);
            if (value == null || value == JsonValue.NULL || value == JsonValue.FALSE) {
                return false;
            }
            if (value == JsonValue.TRUE) {
                return true;
            }
            problems.add(prefix + field + ": must be true or false");
            return false;
        }

        /** Meta's {@code {"code": "en_US"}}, or just the code. */
        String language(JsonObject template) {
            JsonValue value = template.get("language");
            String code;
            if (value instanceof JsonObject object) {
                unknownFields(object, "template.language.", Set.of("code"));
                code = string(object, "code", "template.language.", true, 20);
            } else if (value instanceof JsonString) {
                code = string(template, "language", "template.", true, 20);
            } else if (value == null || value == JsonValue.NULL) {
                problems.add("template.language: is required, e.g. \"en_US\"");
                return null;
            } else {
                problems.add("template.language: must be a language code such as \"en_US\" or {\"code\":\"en_US\"}");
                return null;
            }
            if (code != null && !LANGUAGE.matcher(code).matches()) {
                problems.add("template.language: must be a language code such as en_US");
                return null;
            }
            return code;
        }

        JsonArray components(JsonObject template) {
            JsonValue value = template.get("components");
            if (value == null || value == JsonValue.NULL) {
                return null;
            }
            if (!(value instanceof JsonArray array) || array.stream().anyMatch(c -> !(c instanceof JsonObject))) {
                problems.add("template.components: must be an array of objects in the Cloud API's format");
                return null;
            }
            return array;
        }

        private static String printable(String s) {
            String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
            return cut.replaceAll("[\\p{Cntrl}]", "?");
        }
    }
}
