package dev.pons.delivery.control;

import java.util.random.RandomGenerator;

/**
 * When the next attempt of a delivery is due (src/docs/webhooks.md, "Success, retries and failing targets"):
 * {@code min(maxBackoff, initialBackoff * 2^(n-1)) + jitter(0..1 s)}. The jitter spreads retries of
 * many deliveries that failed together, so a recovering receiver is not hit by all of them at once.
 */
public final class Backoff {

    public static final long MAX_JITTER_MS = 1000;

    private Backoff() {
    }

    /**
     * @param failedAttemptNumber the number of the attempt that just failed, 1 for the first
     * @return milliseconds to wait before the next attempt
     */
    public static long delayMillis(int failedAttemptNumber, long initialBackoffMs, long maxBackoffMs,
            RandomGenerator random) {
        if (failedAttemptNumber < 1) {
            throw new IllegalArgumentException("failedAttemptNumber must be at least 1, was " + failedAttemptNumber);
        }
        if (initialBackoffMs < 0 || maxBackoffMs < 0) {
            throw new IllegalArgumentException("backoff must not be negative");
        }
        long base = exponential(failedAttemptNumber - 1, initialBackoffMs, maxBackoffMs);
        // Saturate rather than wrap should the cap itself be within a second of Long.MAX_VALUE.
        return Math.min(base, Long.MAX_VALUE - MAX_JITTER_MS) + random.nextLong(MAX_JITTER_MS);
    }

    /** {@code min(max, initial * 2^doublings)} without ever computing a product that overflows. */
    private static long exponential(int doublings, long initial, long max) {
        if (initial == 0) {
            return 0;
        }
        // initial > max / 2^doublings is exactly when initial * 2^doublings would exceed max.
        if (doublings >= Long.SIZE - 1 || initial > (max >>> doublings)) {
            return max;
        }
        return initial << doublings;
    }
}
