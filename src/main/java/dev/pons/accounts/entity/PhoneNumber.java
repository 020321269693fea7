package dev.pons.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import dev.pons.platform.control.SealedColumn;

/** A WhatsApp business number registered by an account; Meta's webhooks are routed by its id. */
@Entity
@Table(name = "phone_number")
@NamedQuery(name = PhoneNumber.OF_ACCOUNT,
        query = "SELECT n FROM PhoneNumber n WHERE n.accountId = :accountId ORDER BY n.createdAt, n.phoneNumberId")
public class PhoneNumber {

    /** Where its access token is sealed, bound to the column and the number's id. */
    public static final SealedColumn ACCESS_TOKEN = new SealedColumn("phone_number", "phone_number_id", "access_token_sealed");


    public static final String OF_ACCOUNT = "PhoneNumber.ofAccount";

    @Id
    @Column(name = "phone_number_id")
    private String phoneNumberId;

    @Column(name = "account_id", nullable = false)
    private String accountId;

    @Column(name = "display_phone_number", nullable = false)
    private String displayPhoneNumber;

    @Column(name = "access_token_sealed")
    private String accessTokenSealed;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    protected PhoneNumber() {
    }

    public PhoneNumber(String phoneNumberId, String accountId, String displayPhoneNumber, String accessTokenSealed,
                       long createdAt) {
        this.phoneNumberId = phoneNumberId;
        this.accountId = accountId;
        this.displayPhoneNumber = displayPhoneNumber;
        this.accessTokenSealed = accessTokenSealed;
        this.createdAt = createdAt;
    }

    public String getPhoneNumberId() {
        return phoneNumberId;
    }

    public String getAccountId() {
        return accountId;
    }

    public String getDisplayPhoneNumber() {
        return displayPhoneNumber;
    }

    public String getAccessTokenSealed() {
        return accessTokenSealed;
    }

    public long getCreatedAt() {
        return createdAt;
    }
}
