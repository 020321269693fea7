package dev.pons.events.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Something that happened on an account's WhatsApp numbers. Immutable: {@code body} is the envelope
 * serialised once, and every delivery attempt sends exactly these bytes.
 */
@Entity
@Table(name = "event")
public class Event {

    @Id
    private String id;

    @Column(name = "account_id", nullable = false)
    private String accountId;

    @Column(nullable = false)
    private String type;

    @Column(nullable = false)
    private String source;

    @Column(name = "phone_number_id")
    private String phoneNumberId;

    @Column(name = "wa_message_id")
    private String waMessageId;

    @Column(name = "occurred_at", nullable = false)
    private long occurredAt;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "dedupe_key", nullable = false, unique = true)
    private String dedupeKey;

    @Column(nullable = false)
    private String body;

    protected Event() {
    }

    public Event(String id, String accountId, EventType type, String phoneNumberId, String waMessageId,
                 long occurredAt, long createdAt, String dedupeKey, String body) {
        this.id = id;
        this.accountId = accountId;
        this.type = type.wireName();
        this.source = type.source();
        this.phoneNumberId = phoneNumberId;
        this.waMessageId = waMessageId;
        this.occurredAt = occurredAt;
        this.createdAt = createdAt;
        this.dedupeKey = dedupeKey;
        this.body = body;
    }

    public String getId() {
        return id;
    }

    public String getAccountId() {
        return accountId;
    }

    public String getType() {
        return type;
    }

    public String getSource() {
        return source;
    }

    public String getPhoneNumberId() {
        return phoneNumberId;
    }

    public String getWaMessageId() {
        return waMessageId;
    }

    public long getOccurredAt() {
        return occurredAt;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public String getDedupeKey() {
        return dedupeKey;
    }

    public String getBody() {
        return body;
    }
}
