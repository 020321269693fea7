package dev.pons.delivery.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One POST to a target, as it went: kept for the delivery log. */
@Entity
@Table(name = "delivery_attempt")
public class DeliveryAttempt {

    @Id
    private String id;

    @Column(name = "delivery_id", nullable = false)
    private String deliveryId;

    @Column(nullable = false)
    private int series;

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

    public DeliveryAttempt(String id, String deliveryId, int series, int number, long startedAt, long latencyMs,
                           Integer statusCode, String error, String responseSnippet) {
        this.id = id;
        this.deliveryId = deliveryId;
        this.series = series;
        this.number = number;
        this.startedAt = startedAt;
        this.latencyMs = latencyMs;
        this.statusCode = statusCode;
        this.error = error;
        this.responseSnippet = responseSnippet;
    }

    public String getId() {
        return id;
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
}
