package dev.pons.targets.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The operator's permission for one account to publish to one configured JMS destination
 * ({@code pons.jms-targets.<name>.*}). Targets name destinations, never JNDI names: without a grant
 * an account cannot reach a destination, whatever it types.
 */
@Entity
@Table(name = "jms_grant")
@NamedQuery(name = JmsGrant.OF_ACCOUNT,
        query = "SELECT g FROM JmsGrant g WHERE g.accountId = :accountId ORDER BY g.name")
@NamedQuery(name = JmsGrant.BY_NAME,
        query = "SELECT g FROM JmsGrant g WHERE g.name = :name")
public class JmsGrant {

    public static final String OF_ACCOUNT = "JmsGrant.ofAccount";
    public static final String BY_NAME = "JmsGrant.byName";

    @Id
    private String id;

    @Column(name = "account_id", nullable = false)
    private String accountId;

    @Column(nullable = false)
    private String name;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    protected JmsGrant() {
    }

    public JmsGrant(String id, String accountId, String name, long createdAt) {
        this.id = id;
        this.accountId = accountId;
        this.name = name;
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

    public long getCreatedAt() {
        return createdAt;
    }
}
