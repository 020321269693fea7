package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CircuitTest {

    static final long NOW = 1_700_000_000_000L;

    @Test
    void opensAtTheThirdFailureInARow() {
        assertFalse(Circuit.open(2));
        assertTrue(Circuit.open(3));
    }

    @Test
    void aRetriedDeliveryIsTheNextProbeAtItsOwnTime() {
        assertEquals(NOW + 30_000, Circuit.nextProbeAt(3, NOW + 10_000, NOW + 30_000, NOW, 5_000, 60_000, new SplittableRandom(1)),
                "timed in memory: the probe time is its lease, which marks it as the probe");
        assertEquals(NOW + 600_000, Circuit.nextProbeAt(9, NOW + 600_000, null, NOW, 5_000, 3_600_000, new SplittableRandom(1)),
                "a far retry: the sweeper takes the probe when it is due");
    }

    @Test
    void withoutARetryTheCircuitBacksOffOnItsOwn() {
        long first = Circuit.nextProbeAt(3, null, null, NOW, 5_000, 60_000, new SplittableRandom(1)) - NOW;
        long third = Circuit.nextProbeAt(5, null, null, NOW, 5_000, 60_000, new SplittableRandom(1)) - NOW;
        long late = Circuit.nextProbeAt(20, null, null, NOW, 5_000, 60_000, new SplittableRandom(1)) - NOW;
        assertTrue(first >= 5_000 && first < 6_000, "the first probe after the initial backoff: " + first);
        assertTrue(third >= 20_000 && third < 21_000, "doubling: " + third);
        assertTrue(late >= 60_000 && late < 61_000, "capped at the target's maximum: " + late);
    }

    @Test
    void theProbeIsTheClaimHoldingTheLeaseTheProbeTimeNames() {
        assertTrue(Circuit.isProbe(NOW, NOW));
        assertFalse(Circuit.isProbe(NOW, NOW + 1));
        assertFalse(Circuit.isProbe(null, NOW), "a closed circuit has no probe");
    }
}
