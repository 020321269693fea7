package dev.pons.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** One API key of an account: only its hash is stored, and a preview to tell it apart in lists. */
@Entity
@Table(name = "api_key")
@NamedQuery(name = ApiKey.OF_ACCOUNT,
        query = "SELECT k FROM ApiKey k WHERE k.accountId = :accountId ORDER BY k.createdAt DESC, k.id DESC")
@NamedQuery(name = ApiKey.WITH_ACCOUNT_BY_HASH,
        query = "SELECT k, a FROM ApiKey k, Account a WHERE k.keyHash = :hash AND a.id = k.accountId")
@NamedQuery(name = ApiKey.COUNT_OF_ACCOUNT, query = "SELECT COUNT(k) FROM ApiKey k WHERE k.accountId = :accountId")
public class ApiKey {

    public static final String OF_ACCOUNT = "ApiKey.ofAccount";
    public static final String WITH_ACCOUNT_BY_HASH = "ApiKey.withAccountByHash";
    public static final String COUNT_OF_ACCOUNT = "ApiKey.countOfAccount";

    @Id
    private String id;

    @Column(name = "account_id", nullable = false)
    private String accountId;

    @Column(nullable = false)
    private String name;

    @Column(name = "key_hash", nullable = false, unique = true)
    private String keyHash;

    @Column(nullable = false)
    private String preview;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "last_used_at")
    private Long lastUsedAt;

    protected ApiKey() {
    }

    public ApiKey(String id, String accountId, String name, String keyHash, String preview, long createdAt) {
        this.id = id;
        this.accountId = accountId;
        this.name = name;
        this.keyHash = keyHash;
        this.preview = preview;
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public String getAccountId() {
        return accountId;
    }

    public String getName() {
        return name;
    }

    public String getPreview() {
        return preview;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public Long getLastUsedAt() {
        return lastUsedAt;
    }
}
