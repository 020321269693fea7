package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pons.targets.control.StartSlots;

/** Start slots of rate-limited targets: two instances sharing one budget, on a hand-advanced clock. */
class PacingTest {

    final HandClock clock = new HandClock(1_700_000_000_000L);

    /** The database column, as {@link StartSlots} keeps it: the first slot nobody has reserved. */
    final StartSlots budget = new StartSlots() {
        long next;

        @Override
        public synchronized Long reserve(String targetId, int count, long spacingUs, long nowUs, long latestUs) {
            long first = Math.max(next, nowUs);
            if (first > latestUs) {
                return null;
            }
            next = first + count * spacingUs;
            return first;
        }
    };

    Pacing instance() {
        Pacing pacing = new Pacing();
        pacing.startSlots = budget;
        pacing.clock = clock;
        return pacing;
    }

    static Claim claim(Integer ratePerSecond) {
        return claim(ratePerSecond, Long.MAX_VALUE);
    }

    static Claim claim(Integer ratePerSecond, long leaseUntil) {
        return new Claim("dlv_1", leaseUntil, 1, 1, "evt_1", "message.inbound.received", new byte[0], "acc_1",
                "whk_1", URI.create("http://127.0.0.1:1/"), 10_000, "whsec_x", null, Map.of(), 1000, 10_000, false, false,
                null, false, ratePerSecond);
    }

    @Test
    void withoutALimitEveryAttemptStartsNow() {
        assertEquals(clock.millis(), instance().startAt(claim(null)));
    }

    @Test
    void attemptsAreSpacedOneOverTheRateApartAcrossInstances() {
        Pacing a = instance();
        Pacing b = instance();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            starts.add((i % 2 == 0 ? a : b).startAt(claim(20)));
        }
        starts.sort(null);
        for (int i = 1; i < starts.size(); i++) {
            assertTrue(starts.get(i) - starts.get(i - 1) >= 50, "20/s: 50 ms apart, whichever instance: " + starts);
        }
        assertTrue(starts.get(39) - starts.get(0) >= 39 * 50, "40 starts at 20/s span almost 2 s");
    }

    @Test
    void anIdleTargetGetsNoBurstOfSavedUpSlots() {
        Pacing pacing = instance();
        long first = pacing.startAt(claim(10));
        clock.advance(60_000);
        long now = clock.millis();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            starts.add(pacing.startAt(claim(10)));
        }
        assertTrue(first < now);
        assertEquals(List.of(now, now + 100, now + 200, now + 300, now + 400), starts,
                "after a minute idle, the next slots start now, 100 ms apart");
    }

    @Test
    void aSlotNotTakenInTimeLapsesInsteadOfGoingOffLate() {
        Pacing pacing = instance();
        long first = pacing.startAt(claim(100));
        // 100/s reserves 10 slots 10 ms apart; 36 ms later the next 3 are more than half a spacing late.
        clock.advance(36);
        long next = pacing.startAt(claim(100));
        assertEquals(first + 40, next, "the first slot not yet half a spacing late");
    }

    @Test
    void anAttemptThatCouldNotStartWithinItsLeaseGetsNoSlotAndUsesNoneUp() {
        Pacing pacing = instance();
        long now = clock.millis();
        for (int i = 0; i < 10; i++) {
            pacing.startAt(claim(1));
        }
        // The budget is taken 10 s ahead; a claim whose lease lets it start at most 5 s from now gets nothing.
        assertNull(pacing.startAt(claim(1, now + 5_000 + 10_000)));
        assertNull(pacing.startAt(claim(1, now + 5_000 + 10_000)));
        assertEquals(now + 10_000, pacing.startAt(claim(1)),
                "the refused ones left the budget as it was: the next slot is still 10 s ahead, not 12");
    }

    @Test
    void anInstanceHoldsTwoSecondsOfARateLimitedTargetsAttempts() {
        assertEquals(Integer.MAX_VALUE, Pacing.heldAtMost(null));
        assertEquals(1, Pacing.heldAtMost(0));
        assertEquals(2, Pacing.heldAtMost(1));
        assertEquals(40, Pacing.heldAtMost(20));
    }

    @Test
    void anAttemptWhoseTimerRanLateHasMissedItsSlot() {
        Pacing pacing = instance();
        assertTrue(pacing.missed(claim(10), 1_000, 1_051), "more than half of 100 ms late");
        assertFalse(pacing.missed(claim(10), 1_000, 1_050));
        assertFalse(pacing.missed(claim(null), 1_000, 9_000), "without a limit there are no slots to miss");
    }

    @Test
    void reservationsCoverATenthOfASecond() {
        assertEquals(1, Pacing.slotsPerReservation(1));
        assertEquals(1, Pacing.slotsPerReservation(10));
        assertEquals(10, Pacing.slotsPerReservation(100));
        assertEquals(1_000, Pacing.slotsPerReservation(10_000));
        assertEquals(100, Pacing.spacingUs(10_000));
    }
}
