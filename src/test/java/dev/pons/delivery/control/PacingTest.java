package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        public synchronized long reserve(String targetId, int count, long spacingUs, long nowUs) {
            long first = Math.max(next, nowUs);
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
        return new Claim("dlv_1", Long.MAX_VALUE, 1, 1, "evt_1", "message.inbound.received", new byte[0], "acc_1",
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

    @Test
    void aRateLimitedTargetIsHandedOutASecondsWorthAtATime() {
        assertEquals(132, HandOut.paced(132, null));
        assertEquals(5, HandOut.paced(132, 5));
        assertEquals(132, HandOut.paced(132, 1_000));
        assertEquals(0, HandOut.paced(0, 5));
    }
}
