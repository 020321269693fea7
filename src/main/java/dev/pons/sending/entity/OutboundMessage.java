package dev.pons.sending.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.pons.platform.control.Text;

/**
 * A message sent through the send API, stored once the Cloud API answered (or did not). Meta's later
 * status webhooks update {@code status} by {@code wa_message_id} (OutboundMessages), so a failed
 * message, which has no WhatsApp id, keeps its status.
 */
@Entity
@Table(name = "outbound_message")
public class OutboundMessage {

    public static final String SENT = "sent";
    public static final String FAILED = "failed";

    static final int MAX_ERROR_LENGTH = 1000;

    @Id
    private String id;

    @Column(name = "account_id", nullable = false)
    private String accountId;

    @Column(name = "phone_number_id", nullable = false)
    private String phoneNumberId;

    @Column(nullable = false)
    private String recipient;

    @Column(nullable = false)
    private String type;

    @Column(nullable = false)
    private String status;

    @Column(name = "wa_message_id", unique = true)
    private String waMessageId;

    @Column(name = "error")
    private String error;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "updated_at", nullable = false)
    private long updatedAt;

    protected OutboundMessage() {
    }

    private OutboundMessage(String id, String accountId, String phoneNumberId, String recipient, String type,
                            String status, String waMessageId, String error, long createdAt, long updatedAt) {
        this.id = id;
        this.accountId = accountId;
        this.phoneNumberId = phoneNumberId;
        this.recipient = recipient;
        this.type = type;
        this.status = status;
        this.waMessageId = waMessageId;
        // Meta's words: kept, but cleaned of what the database would refuse.
        this.error = Text.storable(error, MAX_ERROR_LENGTH);
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
    }

    public static OutboundMessage sent(String id, String accountId, String phoneNumberId, String recipient,
                                       String type, String waMessageId, long createdAt, long now) {
        return new OutboundMessage(id, accountId, phoneNumberId, recipient, type, SENT, waMessageId, null,
                createdAt, now);
    }

    public static OutboundMessage failed(String id, String accountId, String phoneNumberId, String recipient,
                                         String type, String error, long createdAt, long now) {
        return new OutboundMessage(id, accountId, phoneNumberId, recipient, type, FAILED, null, error, createdAt, now);
    }

    public String getId() {
        return id;
    }

    public String getAccountId() {
        return accountId;
    }

    public String getPhoneNumberId() {
        return phoneNumberId;
    }

    public String getRecipient() {
        return recipient;
    }

    public String getType() {
        return type;
    }

    public String getStatus() {
        return status;
    }

    public String getWaMessageId() {
        return waMessageId;
    }

    public String getError() {
        return error;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public long getUpdatedAt() {
        return updatedAt;
    }
}
