package dev.pons.delivery.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** One POST to a target, as it went: kept for the delivery log, known by its delivery, series and number. */
@Entity
@Table(name = "delivery_attempt")
@IdClass(DeliveryAttempt.Key.class)
public class DeliveryAttempt {

    @Id
    @Column(name = "delivery_id", nullable = false)
    private String deliveryId;

    @Id
    @Column(nullable = false)
    private int series;

    @Id
    @Column(nullable = false)
    private int number;

    @Column(name = "started_at", nullable = false)
    private long startedAt;

    @Column(name = "latency_ms", nullable = false)
    private long latencyMs;

    @Column(name = "status_code")
    private Integer statusCode;

    private String error;

    @Column(name = "response_snippet")
    private String responseSnippet;

    protected DeliveryAttempt() {
    }

    public String getDeliveryId() {
        return deliveryId;
    }

    public int getSeries() {
        return series;
    }

    public int getNumber() {
        return number;
    }

    public long getStartedAt() {
        return startedAt;
    }

    public long getLatencyMs() {
        return latencyMs;
    }

    public Integer getStatusCode() {
        return statusCode;
    }

    public String getError() {
        return error;
    }

    public String getResponseSnippet() {
        return responseSnippet;
    }

    /** The key JPA asks of an entity with a key of several columns. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private String deliveryId;
        private int series;
        private int number;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.deliveryId, deliveryId) && k.series == series
                    && k.number == number;
        }

        @Override
        public int hashCode() {
            return Objects.hash(deliveryId, series, number);
        }
    }
}
