package dev.pons.sending.control;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Why a message was not sent: Meta's error ({@code code} is Meta's error code), or ours when no
 * answer came ({@code code} null, {@code title} "timeout" or "unreachable").
 */
public record SendError(Integer code, String title, String message, String details) {

    static final String REDACTED = "[redacted]";

    /** The {@code error} object of the {@code message.outbound.failed} payload; {@code details} only when known. */
    public JsonObject toJson() {
        JsonObjectBuilder error = Json.createObjectBuilder();
        if (code == null) {
            error.addNull("code");
        } else {
            error.add("code", code);
        }
        error.add("title", title).add("message", message);
        if (details != null) {
            error.add("details", details);
        }
        return error.build();
    }

    /** One line for the stored message and the logs. */
    public String summary() {
        String head = (code == null ? "" : code + " ") + title + ": " + message;
        return details == null ? head : head + " (" + details + ")";
    }

    /**
     * The same with every occurrence of the access token blanked out: Meta's errors are not known to
     * echo tokens, but one that quotes the request must not carry the token into the database or logs.
     */
    public SendError redact(String secret) {
        if (secret == null || secret.isEmpty()) {
            return this;
        }
        return new SendError(code, blank(title, secret), blank(message, secret), blank(details, secret));
    }

    private static String blank(String text, String secret) {
        return text == null ? null : text.replace(secret, REDACTED);
    }
}
