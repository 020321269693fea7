package dev.pons.diagnostics.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A self-test of the pipeline: stored by a request, handed over by id through JMS, and marked by the
 * listener (or by the dead-letter listener when it could not be processed).
 */
@Entity
@Table(name = "diagnostic_ping")
public class Ping {

    @Id
    private String id;

    /** When true the listener throws, to prove redelivery and dead-lettering. */
    @Column(name = "poison", nullable = false)
    private boolean poison;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "received_at")
    private Long receivedAt;

    @Column(name = "dead_lettered_at")
    private Long deadLetteredAt;

    protected Ping() {
    }

    public Ping(String id, boolean poison, long createdAt) {
        this.id = id;
        this.poison = poison;
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public boolean isPoison() {
        return poison;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public int getAttempts() {
        return attempts;
    }

    public Long getReceivedAt() {
        return receivedAt;
    }

    public Long getDeadLetteredAt() {
        return deadLetteredAt;
    }

    public void countAttempt() {
        attempts++;
    }

    public void received(long now) {
        receivedAt = now;
    }

    public void deadLettered(long now) {
        deadLetteredAt = now;
    }
}
