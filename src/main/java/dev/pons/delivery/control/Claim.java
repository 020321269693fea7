package dev.pons.delivery.control;

import java.net.URI;
import java.util.Map;

import dev.pons.targets.control.JmsDestination;

/**
 * A delivery taken for one attempt, with everything the POST needs, read when it was taken: no entity
 * crosses the HTTP call. {@code circuitOpen}: its target was failing when it was taken, and unless it
 * is the {@code probe} it waits in the database instead. {@code unsendable}: why it cannot be sent (its
 * target's secrets did not open), recorded as its attempt's failure; null for one that can. {@code fifo}:
 * the head of its target's line, which the next one follows once it is finished; {@code ratePerSecond}:
 * its target's rate limit, null for none. {@code jms}: where a JMS target publishes ({@code url} is null
 * then); null for an HTTP target.
 */
public record Claim(String deliveryId, long leaseUntil, int series, int attemptNumber, String eventId,
                    String eventType, byte[] body, String accountId, String targetId, URI url, int timeoutMs,
                    String secret, String previousSecret, Map<String, String> headers, long initialBackoffMs,
                    long maxBackoffMs, boolean circuitOpen, boolean probe, String unsendable, boolean fifo,
                    Integer ratePerSecond, JmsDestination jms) {

    /** A claim of an HTTP target. */
    public Claim(String deliveryId, long leaseUntil, int series, int attemptNumber, String eventId, String eventType,
                 byte[] body, String accountId, String targetId, URI url, int timeoutMs, String secret,
                 String previousSecret, Map<String, String> headers, long initialBackoffMs, long maxBackoffMs,
                 boolean circuitOpen, boolean probe, String unsendable, boolean fifo, Integer ratePerSecond) {
        this(deliveryId, leaseUntil, series, attemptNumber, eventId, eventType, body, accountId, targetId, url, timeoutMs,
                secret, previousSecret, headers, initialBackoffMs, maxBackoffMs, circuitOpen, probe, unsendable, fifo,
                ratePerSecond, null);
    }

    public Lease lease() {
        return new Lease(deliveryId, leaseUntil);
    }

    /** Whether it must wait behind its target's probe instead of being attempted. */
    public boolean behindOpenCircuit() {
        return circuitOpen && !probe;
    }

    /** The same claim attempted whatever the circuit says: a test send is one the user asked for. */
    public Claim regardlessOfCircuit() {
        return new Claim(deliveryId, leaseUntil, series, attemptNumber, eventId, eventType, body, accountId, targetId,
                url, timeoutMs, secret, previousSecret, headers, initialBackoffMs, maxBackoffMs, circuitOpen, true,
                unsendable, fifo, ratePerSecond, jms);
    }
}
