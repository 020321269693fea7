package dev.pons.delivery.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One event on its way to one target: the delivery state machine. Retries are data
 * ({@code nextAttemptAt}); nothing sleeps.
 */
@Entity
@Table(name = "delivery")
public class Delivery {

    /**
     * Next-attempt times from here on are places in a FIFO target's line, not times: such a delivery is
     * never due by the clock, and the target's index on (target, status, next attempt) keeps its line in
     * order. It gets a time of its own when it becomes the head of its line.
     */
    public static final long IN_LINE = 1L << 62;

    @Id
    private String id;

    @Column(name = "event_id", nullable = false)
    private String eventId;

    @Column(name = "target_id", nullable = false)
    private String targetId;

    @Column(name = "account_id", nullable = false)
    private String accountId;

    @Column(name = "event_type", nullable = false)
    private String eventType;

    /** The status' wire name: queries, the database and the API read the same words. */
    @Column(nullable = false)
    private String status;

    @Column(nullable = false)
    private int series;

    @Column(name = "attempt_count", nullable = false)
    private int attemptCount;

    @Column(name = "max_attempts", nullable = false)
    private int maxAttempts;

    @Column(name = "next_attempt_at")
    private Long nextAttemptAt;

    /** The lease: until when whoever queued or is attempting it holds the right to send it. */
    @Column(name = "leased_until")
    private Long leasedUntil;

    @Column(name = "last_status_code")
    private Integer lastStatusCode;

    @Column(name = "last_error")
    private String lastError;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "delivered_at")
    private Long deliveredAt;

    @Column(name = "updated_at", nullable = false)
    private long updatedAt;

    protected Delivery() {
    }

    public Delivery(String id, String eventId, String targetId, String accountId, String eventType, int maxAttempts,
                    long now, Long leaseUntil) {
        this.id = id;
        this.eventId = eventId;
        this.targetId = targetId;
        this.accountId = accountId;
        this.eventType = eventType;
        this.status = DeliveryStatus.PENDING.wireName();
        this.series = 1;
        this.maxAttempts = maxAttempts;
        this.nextAttemptAt = now;
        this.leasedUntil = leaseUntil;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /**
     * A new attempt series now (retry, replay): same delivery id, attempts count from 1 again. Without
     * a lease it waits in the database until it is handed out.
     */
    public void restart(int maxAttempts, long now, Long leaseUntil) {
        this.status = DeliveryStatus.PENDING.wireName();
        this.series++;
        this.attemptCount = 0;
        this.maxAttempts = maxAttempts;
        this.nextAttemptAt = now;
        this.leasedUntil = leaseUntil;
        this.deliveredAt = null;
        this.updatedAt = now;
    }

    /** Waits at {@code place} in its target's FIFO line instead of being due at a time. */
    public void waitInLine(long place) {
        this.nextAttemptAt = IN_LINE + place;
        this.leasedUntil = null;
    }

    public void attemptOnlyOnce() {
        this.maxAttempts = 1;
    }

    public boolean isInLine() {
        return nextAttemptAt != null && nextAttemptAt >= IN_LINE;
    }

    /** {@code statusCode}: null for a JMS send. */
    public void succeeded(Integer statusCode, long now) {
        this.attemptCount++;
        this.status = DeliveryStatus.SUCCEEDED.wireName();
        this.lastStatusCode = statusCode;
        this.lastError = null;
        this.nextAttemptAt = null;
        this.leasedUntil = null;
        this.deliveredAt = now;
        this.updatedAt = now;
    }

    /**
     * A failed attempt: retry at {@code nextAttemptAt}, or give up when none remain (null). A retry
     * timed in memory keeps a lease until after it ({@code leaseUntil}); others wait for the sweeper.
     */
    public void failed(Integer statusCode, String error, Long nextAttemptAt, Long leaseUntil, long now) {
        this.attemptCount++;
        this.lastStatusCode = statusCode;
        this.lastError = error;
        this.leasedUntil = leaseUntil;
        this.updatedAt = now;
        if (nextAttemptAt == null) {
            this.status = DeliveryStatus.FAILED.wireName();
            this.nextAttemptAt = null;
        } else {
            this.nextAttemptAt = nextAttemptAt;
        }
    }

    public boolean hasAttemptsLeftAfterThisOne() {
        return attemptCount + 1 < maxAttempts;
    }

    public String getId() {
        return id;
    }

    public String getEventId() {
        return eventId;
    }

    public String getTargetId() {
        return targetId;
    }

    public String getAccountId() {
        return accountId;
    }

    public String getEventType() {
        return eventType;
    }

    public DeliveryStatus getStatus() {
        return DeliveryStatus.ofWireName(status).orElseThrow();
    }

    public int getSeries() {
        return series;
    }

    public int getAttemptCount() {
        return attemptCount;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public Long getNextAttemptAt() {
        return nextAttemptAt;
    }

    public Long getLeasedUntil() {
        return leasedUntil;
    }

    public Integer getLastStatusCode() {
        return lastStatusCode;
    }

    public String getLastError() {
        return lastError;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public Long getDeliveredAt() {
        return deliveredAt;
    }

    public long getUpdatedAt() {
        return updatedAt;
    }
}
