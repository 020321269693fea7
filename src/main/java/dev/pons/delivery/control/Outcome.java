package dev.pons.delivery.control;

/**
 * What one POST came to. {@code statusCode} is null when no HTTP answer arrived (timeout, refused,
 * reset, TLS); then {@code error} says which. {@code retryAfterMs} carries a target's Retry-After.
 */
public record Outcome(long startedAt, long latencyMs, Integer statusCode, String error, String responseSnippet,
                      Long retryAfterMs) {

    public boolean succeeded() {
        return statusCode != null && statusCode == 200;
    }

    public String describeFailure() {
        if (error != null) {
            return error;
        }
        return "HTTP " + statusCode + (statusCode == 200 ? "" : " (only 200 counts as delivered)");
    }
}
