package dev.pons.delivery.control;

/**
 * What one POST (or JMS send) came to. {@code statusCode} is null when no HTTP answer arrived (timeout,
 * refused, reset, TLS); then {@code error} says which. A JMS send has no status code: with no error it was
 * committed to its destination ({@link #published}). {@code retryAfterMs} carries a target's Retry-After.
 */
public record Outcome(long startedAt, long latencyMs, Integer statusCode, String error, String responseSnippet,
                      Long retryAfterMs) {

    /** A JMS send committed to its destination; {@code note} says where, for the delivery log. */
    public static Outcome published(long startedAt, long latencyMs, String note) {
        return new Outcome(startedAt, latencyMs, null, null, note, null);
    }

    public boolean succeeded() {
        return statusCode != null ? statusCode == 200 : error == null;
    }

    public String describeFailure() {
        if (error != null) {
            return error;
        }
        return "HTTP " + statusCode + (statusCode == 200 ? "" : " (only 200 counts as delivered)");
    }

    /** What is stored of an attempt whose outcome the database refused in full. */
    static final String NOT_STORED = "the receiver's answer or the error could not be stored";

    /**
     * The outcome without the text that came from outside (the receiver's answer, the error message):
     * what the database refuses is there, if anywhere. Status code, timing and the verdict stay.
     */
    public Outcome reduced() {
        return new Outcome(startedAt, latencyMs, statusCode, error == null ? null : NOT_STORED, null, retryAfterMs);
    }
}
