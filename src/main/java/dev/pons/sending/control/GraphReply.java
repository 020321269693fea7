package dev.pons.sending.control;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pons.platform.control.CloudApi;

/** What the Cloud API made of one send: accepted with a WhatsApp message id, refused, or no answer. */
public record GraphReply(Kind kind, String waMessageId, SendError error) {

    public enum Kind {
        ACCEPTED,
        /** Meta answered, and not with a message id. */
        REFUSED,
        /** Sent, no answer in time: Meta may still have accepted the message. */
        TIMEOUT,
        /** No connection, or it broke before an answer: the message may or may not have left. */
        UNREACHABLE
    }

    /** Meta's messages carry "(#130429) Rate limit hit": the text after the code is the error's title. */
    private static final Pattern CODED_MESSAGE = Pattern.compile("\\(#\\d+\\)\\s*(.+)");

    public boolean accepted() {
        return kind == Kind.ACCEPTED;
    }

    public static GraphReply timeout(long timeoutMs) {
        return new GraphReply(Kind.TIMEOUT, null, new SendError(null, "timeout",
                "no answer from the WhatsApp Cloud API within " + timeoutMs
                        + " ms; it may still have accepted the message", null));
    }

    public static GraphReply unreachable(String why) {
        return new GraphReply(Kind.UNREACHABLE, null, new SendError(null, "unreachable",
                "could not reach the WhatsApp Cloud API: " + why, null));
    }

    GraphReply redact(String secret) {
        return error == null ? this : new GraphReply(kind, waMessageId, error.redact(secret));
    }

    /**
     * Reads Meta's answer. Success is a 2xx carrying {@code messages[0].id}; an error is Meta's
     * {@code {"error":{code, message, type, error_data:{details}, ...}}}, whose title may be missing
     * (the send API, unlike the webhooks, rarely sends one): then it is taken from the message's
     * "(#code) title" form, else Meta's error type, else the HTTP status.
     */
    public static GraphReply parse(int statusCode, String body) {
        JsonObject json = CloudApi.jsonObject(body);
        if (statusCode / 100 == 2) {
            String id = messageId(json);
            if (id != null) {
                return new GraphReply(Kind.ACCEPTED, id, null);
            }
            return new GraphReply(Kind.REFUSED, null, new SendError(null, "HTTP " + statusCode,
                    "the WhatsApp Cloud API answered without a message id", null));
        }
        JsonObject error = json == null ? null : object(json, "error");
        if (error == null) {
            return new GraphReply(Kind.REFUSED, null, new SendError(null, "HTTP " + statusCode,
                    "unexpected answer from the WhatsApp Cloud API (HTTP " + statusCode + ")", null));
        }
        Integer code = error.get("code") instanceof JsonNumber n && n.isIntegral() ? n.intValue() : null;
        String message = string(error, "message");
        String title = firstNonNull(string(error, "title"), string(error, "error_user_title"), codedTitle(message),
                string(error, "type"), "HTTP " + statusCode);
        JsonObject errorData = object(error, "error_data");
        String details = firstNonNull(errorData == null ? null : string(errorData, "details"),
                string(error, "error_user_msg"));
        return new GraphReply(Kind.REFUSED, null,
                new SendError(code, title, message != null ? message : title, details));
    }

    private static String messageId(JsonObject json) {
        if (json == null || !(json.get("messages") instanceof JsonArray messages) || messages.isEmpty()
                || !(messages.get(0) instanceof JsonObject first)) {
            return null;
        }
        return string(first, "id");
    }

    private static String codedTitle(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = CODED_MESSAGE.matcher(message);
        return m.matches() ? m.group(1).strip() : null;
    }

    private static JsonObject object(JsonObject parent, String field) {
        return parent.get(field) instanceof JsonObject o ? o : null;
    }

    private static String string(JsonObject parent, String field) {
        return parent.get(field) instanceof JsonString s && !s.getString().isBlank() ? s.getString() : null;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
