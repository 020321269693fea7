package dev.pons.delivery.control;

import java.util.random.RandomGenerator;

import dev.pons.targets.control.TargetHealth;

/**
 * When a failing target's next probe may start. While the circuit is open one delivery at a time is
 * attempted, the probe; the target's other deliveries wait in the database, whatever their own
 * schedule says, and flow again, oldest first, once a probe succeeds (src/docs/webhooks.md, "Success,
 * retries and failing targets").
 */
final class Circuit {

    private Circuit() {
    }

    static boolean open(int consecutiveFailures) {
        return consecutiveFailures >= TargetHealth.OPEN_AFTER;
    }

    /**
     * After a failed attempt that leaves the circuit open. A delivery that will be tried again is the
     * next probe, so it keeps its own backoff schedule: with {@code retryLease} (a retry timed in memory)
     * the probe time is that lease, which marks it as the probe when it comes back; otherwise its next
     * attempt time. A delivery that has no attempts left hands the probe on to the target's oldest due
     * delivery, after the circuit's own backoff, which grows with the failures in a row.
     */
    static long nextProbeAt(int consecutiveFailures, Long nextAttemptAt, Long retryLease, long now,
                            long initialBackoffMs, long maxBackoffMs, RandomGenerator random) {
        if (retryLease != null) {
            return retryLease;
        }
        if (nextAttemptAt != null) {
            return nextAttemptAt;
        }
        int failedProbes = Math.max(1, consecutiveFailures - TargetHealth.OPEN_AFTER + 1);
        return now + Backoff.delayMillis(failedProbes, initialBackoffMs, maxBackoffMs, random);
    }

    /** A claim taken while the circuit is open is the probe only if it holds the lease the probe time names. */
    static boolean isProbe(Long nextProbeAt, long leaseUntil) {
        return nextProbeAt != null && nextProbeAt == leaseUntil;
    }
}
