package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The sweeper's hold while the delivery queue is backed up, on a hand-advanced clock: no sleeping. */
class SweeperTest {

    /** A clock that moves only when the test says so. */
    static final class HandClock extends Clock {

        private long millis;

        HandClock(long millis) {
            this.millis = millis;
        }

        void advance(long byMillis) {
            millis += byMillis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** Stands in for the database: counts sweeps and answers a full or a partial batch. */
    static final class Due extends Deliveries {

        int sweeps;
        boolean full;
        Runnable duringSweep = () -> { };

        Due() {
            sweepBatch = 100;
        }

        @Override
        public int sweep() {
            sweeps++;
            duringSweep.run();
            return full ? sweepBatch : sweepBatch / 2;
        }
    }

    static final long LEASE_GRACE_MS = 10_000;

    final HandClock clock = new HandClock(1_700_000_000_000L);
    final DeliveryQueue queue = new DeliveryQueue();
    final Due deliveries = new Due();
    final Sweeper sweeper = new Sweeper();

    SweeperTest() {
        queue.leaseGraceMs = LEASE_GRACE_MS;
        sweeper.queue = queue;
        sweeper.deliveries = deliveries;
        sweeper.clock = clock;
    }

    /** A message that waited longer than a quarter of the lease grace, received now. */
    private void slowMessage() {
        queue.noteQueueWait(clock.millis() - LEASE_GRACE_MS / 2, clock.millis());
    }

    @Test
    void aBackedUpQueueHoldsTheSweepBackButNeverLongerThanTheBound() {
        sweeper.sweep();
        assertEquals(1, deliveries.sweeps, "a queue that is not backed up is swept");

        // Slow messages keep arriving, so the queue stays backed up the whole time.
        long held = 0;
        while (held + 1_000 < Sweeper.HOLD_AT_MOST_MS) {
            clock.advance(1_000);
            held += 1_000;
            slowMessage();
            sweeper.sweep();
            assertEquals(1, deliveries.sweeps, "held back " + held + " ms after the last sweep");
        }
        clock.advance(Sweeper.HOLD_AT_MOST_MS - held - 1);
        slowMessage();
        sweeper.sweep();
        assertEquals(1, deliveries.sweeps, "still held 1 ms before the bound");

        clock.advance(1);
        slowMessage();
        sweeper.sweep();
        assertEquals(2, deliveries.sweeps, "the bound reached, it sweeps although the queue is still backed up");

        clock.advance(1_000);
        slowMessage();
        sweeper.sweep();
        assertEquals(2, deliveries.sweeps, "and the hold starts over from that sweep");
    }

    @Test
    void theHoldEndsWithTheBackedUpWindow() {
        sweeper.sweep();
        clock.advance(1_000);
        slowMessage();
        sweeper.sweep();
        assertEquals(1, deliveries.sweeps);

        clock.advance(DeliveryQueue.BACKED_UP_FOR_MS - 1);
        sweeper.sweep();
        assertEquals(1, deliveries.sweeps, "still within the backed-up window");

        clock.advance(1);
        sweeper.sweep();
        assertEquals(2, deliveries.sweeps, "no slow message for the window: sweeping again");
    }

    @Test
    void fullBatchesAreSweptAgainUpToTheRoundLimit() {
        deliveries.full = true;
        sweeper.sweep();
        assertEquals(Sweeper.MAX_ROUNDS, deliveries.sweeps);
    }

    @Test
    void aQueueThatBacksUpDuringTheRoundsEndsThemEarly() {
        deliveries.full = true;
        deliveries.duringSweep = () -> {
            if (deliveries.sweeps == 2) {
                clock.advance(500);
                slowMessage();
            }
        };
        sweeper.sweep();
        assertEquals(2, deliveries.sweeps, "the queue backed up in the second round: no third");
    }
}
