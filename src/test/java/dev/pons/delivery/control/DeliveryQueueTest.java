package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeliveryQueueTest {

    final DeliveryQueue queue = new DeliveryQueue();

    DeliveryQueueTest() {
        queue.leaseGraceMs = 10_000;
    }

    @Test
    void messagesThatWaitedOverAQuarterOfTheLeaseGraceHoldTheSweeperBackForAWhile() {
        long now = 1_000_000;
        assertFalse(queue.backedUp(now), "nothing received yet");
        queue.noteQueueWait(now - 2_000, now);
        assertFalse(queue.backedUp(now), "2 s in the queue is within a quarter of 10 s");
        queue.noteQueueWait(now - 2_600, now);
        assertTrue(queue.backedUp(now));
        assertTrue(queue.backedUp(now + DeliveryQueue.BACKED_UP_FOR_MS - 1));
        assertFalse(queue.backedUp(now + DeliveryQueue.BACKED_UP_FOR_MS), "no longer once messages stop waiting");
    }

    @Test
    void aMessageWithoutATimestampSaysNothing() {
        queue.noteQueueWait(0, 1_000_000);
        assertFalse(queue.backedUp(1_000_000));
    }
}
