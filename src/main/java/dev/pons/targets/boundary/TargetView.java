package dev.pons.targets.boundary;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

import dev.pons.targets.control.CustomHeaders;
import dev.pons.targets.entity.WebhookTarget;

/**
 * A target as the API shows it: health included, the signing secret and header values only masked.
 * {@code url} for an HTTP target, {@code destination} (a granted JMS destination's name) for a JMS target.
 */
public record TargetView(String id, String name, String type, String url, String destination, List<String> events, List<String> phoneNumberIds,
                         boolean enabled, int maxAttempts, int timeoutMs, long initialBackoffMs, long maxBackoffMs,
                         Map<String, String> headers, JsonValue filter, String ordering, Integer rateLimitPerSecond,
                         String signingSecretPreview, Long previousSecretExpiresAt, int consecutiveFailures,
                         Long nextProbeAt, Long lastSuccessAt, Long lastFailureAt, String lastError, String disabledReason,
                         long createdAt, long updatedAt) {

    /** {@code now} decides whether the previous secret is still accepted, and so shown. */
    public static TargetView of(WebhookTarget t, long now) {
        Long previousExpires = t.getPreviousSecretExpiresAt() != null
                && t.getPreviousSecretExpiresAt() > now ? t.getPreviousSecretExpiresAt() : null;
        return new TargetView(t.getId(), t.getName(), t.getType(), t.getUrl(), t.getJmsDestination(), t.getEvents(), t.getPhoneNumberIds(), t.isEnabled(),
                t.getMaxAttempts(), t.getTimeoutMs(), t.getInitialBackoffMs(), t.getMaxBackoffMs(),
                CustomHeaders.parse(t.getHeadersPreview()), filter(t.getPayloadFilter()), t.getOrdering(),
                t.getRateLimitPerSecond(), t.getSecretPreview(),
                previousExpires, t.getConsecutiveFailures(), t.getNextProbeAt(), t.getLastSuccessAt(), t.getLastFailureAt(),
                t.getLastError(), t.getDisabledReason(), t.getCreatedAt(), t.getUpdatedAt());
    }

    /** The stored filter as JSON: shown, not evaluated, so it is read, not compiled. */
    private static JsonValue filter(String stored) {
        return stored == null ? JsonValue.NULL : Json.createReader(new StringReader(stored)).readValue();
    }

    /** The same fields and the full secret: the answer of create and rotate only. */
    public record WithSecret(String id, String name, String type, String url, String destination, List<String> events, List<String> phoneNumberIds,
                             boolean enabled, int maxAttempts, int timeoutMs, long initialBackoffMs,
                             long maxBackoffMs, Map<String, String> headers, JsonValue filter, String ordering,
                             Integer rateLimitPerSecond, String signingSecretPreview, Long previousSecretExpiresAt,
                             int consecutiveFailures, Long nextProbeAt, Long lastSuccessAt, Long lastFailureAt,
                             String lastError, String disabledReason, long createdAt, long updatedAt,
                             String signingSecret) {

        public static WithSecret of(WebhookTarget t, String secret, long now) {
            TargetView v = TargetView.of(t, now);
            return new WithSecret(v.id, v.name, v.type, v.url, v.destination, v.events, v.phoneNumberIds, v.enabled, v.maxAttempts,
                    v.timeoutMs, v.initialBackoffMs, v.maxBackoffMs, v.headers, v.filter, v.ordering, v.rateLimitPerSecond,
                    v.signingSecretPreview,
                    v.previousSecretExpiresAt, v.consecutiveFailures, v.nextProbeAt, v.lastSuccessAt, v.lastFailureAt, v.lastError,
                    v.disabledReason, v.createdAt, v.updatedAt, secret);
        }
    }
}
