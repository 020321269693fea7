package dev.pons.delivery.boundary;

import java.util.List;

import dev.pons.delivery.entity.Delivery;
import dev.pons.delivery.entity.DeliveryAttempt;

/** A delivery as the API shows it; {@code attempts} only on the single-delivery call. */
public record DeliveryView(String id, String eventId, String targetId, String eventType, String status,
                           int attemptCount, int maxAttempts, Long nextAttemptAt, Integer lastStatusCode,
                           String lastError, long createdAt, Long deliveredAt, List<AttemptView> attempts) {

    public record AttemptView(int number, int series, long startedAt, long latencyMs, Integer statusCode, String error,
                              String responseSnippet) {
        public static AttemptView of(DeliveryAttempt a) {
            return new AttemptView(a.getNumber(), a.getSeries(), a.getStartedAt(), a.getLatencyMs(), a.getStatusCode(),
                    a.getError(), a.getResponseSnippet());
        }
    }

    public static DeliveryView of(Delivery d) {
        return of(d, null);
    }

    public static DeliveryView of(Delivery d, List<DeliveryAttempt> attempts) {
        return new DeliveryView(d.getId(), d.getEventId(), d.getTargetId(), d.getEventType(), d.getStatus().wireName(),
                d.getAttemptCount(), d.getMaxAttempts(), d.isInLine() ? null : d.getNextAttemptAt(), d.getLastStatusCode(), d.getLastError(),
                d.getCreatedAt(), d.getDeliveredAt(),
                attempts == null ? null : attempts.stream().map(AttemptView::of).toList());
    }
}
