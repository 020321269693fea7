package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long INITIAL = 5_000;
    private static final long MAX = 3_600_000;

    /** Always draws the same jitter, so the exponential part can be checked exactly. */
    private record FixedJitter(long jitter) implements RandomGenerator {

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only bounded draws are expected");
        }

        @Override
        public long nextLong(long bound) {
            assertEquals(Backoff.MAX_JITTER_MS, bound);
            return jitter;
        }
    }

    private static final RandomGenerator NO_JITTER = new FixedJitter(0);

    @Test
    void firstRetryWaitsTheInitialBackoffPlusJitter() {
        assertEquals(INITIAL, Backoff.delayMillis(1, INITIAL, MAX, NO_JITTER));
        assertEquals(INITIAL + 999, Backoff.delayMillis(1, INITIAL, MAX, new FixedJitter(999)));

        RandomGenerator random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            long delay = Backoff.delayMillis(1, INITIAL, MAX, random);
            assertTrue(delay >= INITIAL && delay < INITIAL + 1_000, "delay " + delay);
        }
    }

    @Test
    void doublesWithEachFailedAttempt() {
        assertEquals(10_000, Backoff.delayMillis(2, INITIAL, MAX, NO_JITTER));
        assertEquals(20_000, Backoff.delayMillis(3, INITIAL, MAX, NO_JITTER));
        assertEquals(2_560_000, Backoff.delayMillis(10, INITIAL, MAX, NO_JITTER));
    }

    @Test
    void isCappedAtTheMaximumPlusJitter() {
        assertEquals(MAX, Backoff.delayMillis(11, INITIAL, MAX, NO_JITTER));
        assertEquals(MAX + 500, Backoff.delayMillis(20, INITIAL, MAX, new FixedJitter(500)));
        assertEquals(MAX, Backoff.delayMillis(1, MAX * 2, MAX, NO_JITTER));
    }

    @Test
    void hugeAttemptNumbersDoNotOverflow() {
        for (int n = 1; n <= 64; n++) {
            long delay = Backoff.delayMillis(n, INITIAL, MAX, NO_JITTER);
            assertTrue(delay > 0 && delay <= MAX, "n=" + n + " delay " + delay);
        }
        assertEquals(MAX, Backoff.delayMillis(Integer.MAX_VALUE, INITIAL, MAX, NO_JITTER));
        assertEquals(Long.MAX_VALUE - 1_000,
                Backoff.delayMillis(64, Long.MAX_VALUE / 2, Long.MAX_VALUE, NO_JITTER));
        assertEquals(Long.MAX_VALUE - 1,
                Backoff.delayMillis(64, 1, Long.MAX_VALUE, new FixedJitter(999)));
    }

    @Test
    void zeroInitialBackoffStaysZero() {
        assertEquals(0, Backoff.delayMillis(64, 0, MAX, NO_JITTER));
    }

    @Test
    void refusesAttemptNumbersBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.delayMillis(0, INITIAL, MAX, NO_JITTER));
        assertThrows(IllegalArgumentException.class, () -> Backoff.delayMillis(-1, INITIAL, MAX, NO_JITTER));
    }
}
