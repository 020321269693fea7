package dev.pons.ingest.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.pons.platform.control.Text;

/** One signed POST from Meta, kept as received: the source of truth for what Meta handed us. */
@Entity
@Table(name = "meta_webhook_log")
public class MetaWebhookLog {

    public enum Status { received, processed, malformed }

    @Id
    private String id;

    @Column(name = "received_at", nullable = false)
    private long receivedAt;

    @Column(nullable = false)
    private String body;

    @Column(nullable = false)
    private String status;

    @Column(name = "account_id")
    private String accountId;

    @Column(name = "event_count", nullable = false)
    private int eventCount;

    @Column(nullable = false)
    private int unrouted;

    private String error;

    @Column(name = "processed_at")
    private Long processedAt;

    protected MetaWebhookLog() {
    }

    public MetaWebhookLog(String id, long receivedAt, String body) {
        this.id = id;
        this.receivedAt = receivedAt;
        this.body = body;
        this.status = Status.received.name();
    }

    public void processed(String accountId, int eventCount, int unrouted, long now) {
        this.status = Status.processed.name();
        this.accountId = accountId;
        this.eventCount = eventCount;
        this.unrouted = unrouted;
        this.processedAt = now;
    }

    public void malformed(String error, long now) {
        this.status = Status.malformed.name();
        // The parser's words may quote Meta's: cleaned of what the database would refuse.
        this.error = Text.storable(error, 1000);
        this.processedAt = now;
    }

    public boolean isReceived() {
        return Status.received.name().equals(status);
    }

    public String getId() {
        return id;
    }

    public long getReceivedAt() {
        return receivedAt;
    }

    public String getBody() {
        return body;
    }

    public String getStatus() {
        return status;
    }

    public String getAccountId() {
        return accountId;
    }

    public int getEventCount() {
        return eventCount;
    }

    public int getUnrouted() {
        return unrouted;
    }

    public String getError() {
        return error;
    }
}
