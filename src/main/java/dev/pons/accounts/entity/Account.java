package dev.pons.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

@Entity
@Table(name = "account")
@NamedQuery(name = Account.BY_KEY_HASH, query = "SELECT a FROM Account a WHERE a.apiKeyHash = :hash")
public class Account {

    public static final String BY_KEY_HASH = "Account.byKeyHash";

    @Id
    private String id;

    @Column(nullable = false)
    private String name;

    @Column(name = "api_key_hash", nullable = false, unique = true)
    private String apiKeyHash;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    protected Account() {
    }

    public Account(String id, String name, String apiKeyHash, long createdAt) {
        this.id = id;
        this.name = name;
        this.apiKeyHash = apiKeyHash;
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public long getCreatedAt() {
        return createdAt;
    }
}
