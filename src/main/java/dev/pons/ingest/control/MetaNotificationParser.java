package dev.pons.ingest.control;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

/**
 * Turns one Meta webhook body into the events it reports: every message and every status of every
 * change of every entry, in the order Meta listed them (per change: messages first, then statuses).
 *
 * <p>A body is taken whole or not at all: one unreadable message makes the whole body malformed, so
 * that a body is never half forwarded. Only what an event cannot do without is required; parts that
 * merely decorate it (contact names) are read leniently.
 */
public final class MetaNotificationParser {

    private static final String WHATSAPP_OBJECT = "whatsapp_business_account";
    private static final String MESSAGES_FIELD = "messages";
    private static final String UNKNOWN_TYPE = "unknown";

    /** Message types whose content is a media file described by an object named after the type. */
    private static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "document", "sticker");

    /** At most 15 digits: far beyond any real date, and the milliseconds still fit in a long. */
    private static final Pattern EPOCH_SECONDS = Pattern.compile("[0-9]{1,15}");
    private static final BigInteger MAX_EPOCH_SECONDS = BigInteger.valueOf(999_999_999_999_999L);

    /** Json.createXxx looks the provider up on every call; looking it up once is enough. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private MetaNotificationParser() {
    }

    public static List<ParsedEvent> parse(String rawBody) throws MalformedNotificationException {
        JsonObject root = readObject(rawBody);
        requireWhatsAppObject(root);
        JsonArray entries = requiredArray(root, "entry", "");
        List<ParsedEvent> events = new ArrayList<>();
        for (int e = 0; e < entries.size(); e++) {
            String entryPath = "entry[" + e + "]";
            JsonObject entry = objectAt(entries, e, entryPath);
            JsonArray changes = requiredArray(entry, "changes", entryPath);
            for (int c = 0; c < changes.size(); c++) {
                String changePath = entryPath + ".changes[" + c + "]";
                parseChange(objectAt(changes, c, changePath), changePath, events);
            }
        }
        return events;
    }

    // ---- structure -------------------------------------------------------------------------------

    /** What every event of one change shares: the business number and the senders' profiles. */
    private record Origin(String phoneNumberId, String displayPhoneNumber, List<JsonObject> contacts) {
    }

    /** A parser rather than a JsonReader: the reader silently ignores whatever follows the object. */
    private static JsonObject readObject(String rawBody) throws MalformedNotificationException {
        if (rawBody == null) {
            throw new MalformedNotificationException("body is missing");
        }
        try (JsonParser parser = JSON.createParser(new StringReader(rawBody))) {
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                throw new MalformedNotificationException("body is not a JSON object");
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw new MalformedNotificationException("body continues after the JSON object");
            }
            return object;
        } catch (JsonException | NoSuchElementException e) {
            throw new MalformedNotificationException("body is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void requireWhatsAppObject(JsonObject root) throws MalformedNotificationException {
        String object = requiredString(root, "object", "");
        if (!WHATSAPP_OBJECT.equals(object)) {
            throw new MalformedNotificationException(
                    "object is \"" + object + "\", expected \"" + WHATSAPP_OBJECT + "\"");
        }
    }

    private static void parseChange(JsonObject change, String path, List<ParsedEvent> events)
            throws MalformedNotificationException {
        // Other subscriptions (template reviews, quality ratings, ...) are not events Pons forwards.
        if (!MESSAGES_FIELD.equals(requiredString(change, "field", path))) {
            return;
        }
        String valuePath = child(path, "value");
        JsonObject value = requiredObject(change, "value", path);
        Origin origin = origin(value, valuePath);
        JsonArray messages = orEmpty(optionalArray(value, "messages", valuePath));
        for (int i = 0; i < messages.size(); i++) {
            String messagePath = valuePath + ".messages[" + i + "]";
            events.add(messageEvent(objectAt(messages, i, messagePath), origin, messagePath));
        }
        JsonArray statuses = orEmpty(optionalArray(value, "statuses", valuePath));
        for (int i = 0; i < statuses.size(); i++) {
            String statusPath = valuePath + ".statuses[" + i + "]";
            events.add(statusEvent(objectAt(statuses, i, statusPath), origin, statusPath));
        }
    }

    private static Origin origin(JsonObject value, String valuePath) throws MalformedNotificationException {
        String metadataPath = child(valuePath, "metadata");
        JsonObject metadata = requiredObject(value, "metadata", valuePath);
        return new Origin(
                requiredString(metadata, "phone_number_id", metadataPath),
                requiredString(metadata, "display_phone_number", metadataPath),
                contacts(value));
    }

    /** Contacts only decorate a message with a name: an odd shape there must not cost the message. */
    private static List<JsonObject> contacts(JsonObject value) {
        if (!(value.get("contacts") instanceof JsonArray contacts)) {
            return List.of();
        }
        return contacts.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
    }

    // ---- messages --------------------------------------------------------------------------------

    private static ParsedEvent messageEvent(JsonObject message, Origin origin, String path)
            throws MalformedNotificationException {
        String waMessageId = requiredString(message, "id", path);
        long occurredAt = epochSeconds(message, path) * 1000;
        String sender = sender(message, path);
        String type = Objects.requireNonNullElse(optionalString(message, "type", path), UNKNOWN_TYPE);

        JsonObjectBuilder payload = JSON.createObjectBuilder()
                .add("waMessageId", waMessageId)
                .add("phoneNumberId", origin.phoneNumberId())
                .add("displayPhoneNumber", origin.displayPhoneNumber())
                .add("from", sender);
        addIfPresent(payload, "contactName", contactName(origin.contacts(), sender));
        payload.add("type", type);
        addIfPresent(payload, "text", text(message, path));
        if (MEDIA_TYPES.contains(type)) {
            addMedia(payload, requiredObject(message, type, path), child(path, type));
        }
        addIfPresent(payload, "location", optionalObject(message, "location", path));
        addIfPresent(payload, "interactive", optionalObject(message, "interactive", path));
        addIfPresent(payload, "reaction", reaction(message, path));
        addIfPresent(payload, "context", optionalObject(message, "context", path));
        payload.add("timestamp", occurredAt).add("raw", message);

        return new ParsedEvent(ParsedEvent.MESSAGE_RECEIVED, origin.phoneNumberId(), waMessageId,
                "msg:" + waMessageId, occurredAt, payload.build());
    }

    /** Users who adopted a username may have no phone number; Meta then sends only from_user_id. */
    private static String sender(JsonObject message, String path) throws MalformedNotificationException {
        String from = optionalString(message, "from", path);
        if (from != null) {
            return from;
        }
        String userId = optionalString(message, "from_user_id", path);
        if (userId == null) {
            throw missing(child(path, "from"));
        }
        return userId;
    }

    /** The sender's own profile name; failing a match, Meta's first contact is still the best guess. */
    private static String contactName(List<JsonObject> contacts, String sender) {
        JsonObject contact = contacts.stream()
                .filter(c -> sender.equals(stringOrNull(c, "wa_id")) || sender.equals(stringOrNull(c, "user_id")))
                .findFirst()
                .orElse(contacts.isEmpty() ? null : contacts.get(0));
        if (contact == null || !(contact.get("profile") instanceof JsonObject profile)) {
            return null;
        }
        return stringOrNull(profile, "name");
    }

    /** What the user wrote: a text message's body, or the label of the template button they tapped. */
    private static String text(JsonObject message, String path) throws MalformedNotificationException {
        JsonObject text = optionalObject(message, "text", path);
        if (text != null) {
            return optionalString(text, "body", child(path, "text"));
        }
        JsonObject button = optionalObject(message, "button", path);
        return button == null ? null : optionalString(button, "text", child(path, "button"));
    }

    /** Adds caption and media; receivers fetch the file by id through the Graph API. */
    private static void addMedia(JsonObjectBuilder payload, JsonObject media, String path)
            throws MalformedNotificationException {
        addIfPresent(payload, "caption", optionalString(media, "caption", path));
        JsonObjectBuilder described = JSON.createObjectBuilder()
                .add("id", requiredString(media, "id", path))
                .add("mimeType", requiredString(media, "mime_type", path));
        addIfPresent(described, "sha256", optionalString(media, "sha256", path));
        addIfPresent(described, "filename", optionalString(media, "filename", path));
        payload.add("media", described);
    }

    private static JsonObject reaction(JsonObject message, String path) throws MalformedNotificationException {
        JsonObject reaction = optionalObject(message, "reaction", path);
        if (reaction == null) {
            return null;
        }
        String reactionPath = child(path, "reaction");
        JsonObjectBuilder result = JSON.createObjectBuilder()
                .add("messageId", requiredString(reaction, "message_id", reactionPath));
        String emoji = optionalString(reaction, "emoji", reactionPath);
        // A removed reaction comes without an emoji; an explicit null says "removed" to receivers.
        if (emoji == null) {
            result.addNull("emoji");
        } else {
            result.add("emoji", emoji);
        }
        return result.build();
    }

    // ---- statuses --------------------------------------------------------------------------------

    private static ParsedEvent statusEvent(JsonObject status, Origin origin, String path)
            throws MalformedNotificationException {
        String waMessageId = requiredString(status, "id", path);
        String state = requiredString(status, "status", path);
        long seconds = epochSeconds(status, path);
        long occurredAt = seconds * 1000;

        JsonObjectBuilder payload = JSON.createObjectBuilder()
                .add("waMessageId", waMessageId)
                .add("phoneNumberId", origin.phoneNumberId())
                .add("recipientId", recipient(status, path))
                .add("status", state)
                .add("timestamp", occurredAt);
        addIfPresent(payload, "conversation", optionalObject(status, "conversation", path));
        addIfPresent(payload, "pricing", optionalObject(status, "pricing", path));
        addIfPresent(payload, "errors", optionalArray(status, "errors", path));

        // A message passes through each status once, but Meta redelivers; the timestamp keeps a
        // genuinely repeated status (a second "failed" after a retry) apart from a redelivery.
        String dedupeKey = "status:" + waMessageId + ":" + state + ":" + seconds;
        return new ParsedEvent(ParsedEvent.STATUS_UPDATED, origin.phoneNumberId(), waMessageId, dedupeKey,
                occurredAt, payload.build());
    }

    /** Recipients known only by username have a recipient_user_id and no recipient_id. */
    private static String recipient(JsonObject status, String path) throws MalformedNotificationException {
        String recipient = optionalString(status, "recipient_id", path);
        if (recipient != null) {
            return recipient;
        }
        String userId = optionalString(status, "recipient_user_id", path);
        if (userId == null) {
            throw missing(child(path, "recipient_id"));
        }
        return userId;
    }

    // ---- timestamps ------------------------------------------------------------------------------

    /** Meta sends epoch seconds as a string of digits; a plain JSON integer is accepted as well. */
    private static long epochSeconds(JsonObject holder, String path) throws MalformedNotificationException {
        String at = child(path, "timestamp");
        JsonValue value = present(holder, "timestamp");
        if (value == null) {
            throw missing(at);
        }
        if (value instanceof JsonString text && EPOCH_SECONDS.matcher(text.getString()).matches()) {
            return Long.parseLong(text.getString());
        }
        if (value instanceof JsonNumber number && number.isIntegral()
                && number.bigIntegerValue().signum() >= 0
                && number.bigIntegerValue().compareTo(MAX_EPOCH_SECONDS) <= 0) {
            return number.longValue();
        }
        throw new MalformedNotificationException(at + " is not epoch seconds");
    }

    // ---- reading with paths ----------------------------------------------------------------------

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static MalformedNotificationException missing(String path) {
        return new MalformedNotificationException(path + " missing");
    }

    /** The value under key, with JSON null treated as absent. */
    private static JsonValue present(JsonObject holder, String key) {
        JsonValue value = holder.get(key);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
    }

    private static <T extends JsonValue> T optional(JsonObject holder, String key, String path, Class<T> kind,
            String kindName) throws MalformedNotificationException {
        JsonValue value = present(holder, key);
        if (value == null) {
            return null;
        }
        if (!kind.isInstance(value)) {
            throw new MalformedNotificationException(child(path, key) + " is not " + kindName);
        }
        return kind.cast(value);
    }

    private static <T extends JsonValue> T required(JsonObject holder, String key, String path, Class<T> kind,
            String kindName) throws MalformedNotificationException {
        T value = optional(holder, key, path, kind, kindName);
        if (value == null) {
            throw missing(child(path, key));
        }
        return value;
    }

    private static String optionalString(JsonObject holder, String key, String path)
            throws MalformedNotificationException {
        JsonString value = optional(holder, key, path, JsonString.class, "a string");
        return value == null ? null : value.getString();
    }

    private static String requiredString(JsonObject holder, String key, String path)
            throws MalformedNotificationException {
        return required(holder, key, path, JsonString.class, "a string").getString();
    }

    private static JsonObject optionalObject(JsonObject holder, String key, String path)
            throws MalformedNotificationException {
        return optional(holder, key, path, JsonObject.class, "an object");
    }

    private static JsonObject requiredObject(JsonObject holder, String key, String path)
            throws MalformedNotificationException {
        return required(holder, key, path, JsonObject.class, "an object");
    }

    private static JsonArray optionalArray(JsonObject holder, String key, String path)
            throws MalformedNotificationException {
        return optional(holder, key, path, JsonArray.class, "an array");
    }

    private static JsonArray requiredArray(JsonObject holder, String key, String path)
            throws MalformedNotificationException {
        return required(holder, key, path, JsonArray.class, "an array");
    }

    private static JsonObject objectAt(JsonArray array, int index, String path)
            throws MalformedNotificationException {
        if (!(array.get(index) instanceof JsonObject object)) {
            throw new MalformedNotificationException(path + " is not an object");
        }
        return object;
    }

    private static JsonArray orEmpty(JsonArray array) {
        return array == null ? JsonValue.EMPTY_JSON_ARRAY : array;
    }

    /** Lenient read for decorations: anything but a string counts as absent. */
    private static String stringOrNull(JsonObject holder, String key) {
        return holder.get(key) instanceof JsonString value ? value.getString() : null;
    }

    private static void addIfPresent(JsonObjectBuilder builder, String key, String value) {
        if (value != null) {
            builder.add(key, value);
        }
    }

    private static void addIfPresent(JsonObjectBuilder builder, String key, JsonValue value) {
        if (value != null) {
            builder.add(key, value);
        }
    }
}
