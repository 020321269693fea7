package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class InFlightTest {

    private static InFlight inFlight(int perTarget, int perInstance) {
        InFlight inFlight = new InFlight();
        inFlight.maxPerTarget = perTarget;
        inFlight.maxPerInstance = perInstance;
        inFlight.init();
        return inFlight;
    }

    @Test
    void aTargetGetsItsCapOfSlotsAndOthersAreNotAffected() {
        InFlight inFlight = inFlight(2, 10);
        assertTrue(inFlight.tryAcquire("whk_a", false));
        assertTrue(inFlight.tryAcquire("whk_a", false));
        assertFalse(inFlight.tryAcquire("whk_a", false), "a third attempt to the same target waits");
        assertTrue(inFlight.tryAcquire("whk_b", false), "another target has slots of its own");
        inFlight.release("whk_a");
        assertTrue(inFlight.tryAcquire("whk_a", false), "a freed slot is taken again");
    }

    @Test
    void aFailingTargetIsProbedOneAttemptAtATime() {
        InFlight inFlight = inFlight(4, 10);
        assertTrue(inFlight.tryAcquire("whk_a", true));
        assertFalse(inFlight.tryAcquire("whk_a", true));
        inFlight.release("whk_a");
        assertTrue(inFlight.tryAcquire("whk_a", true));
    }

    @Test
    void theInstanceAdmitsNoMoreThanItsCapUntilOneLeaves() throws Exception {
        InFlight inFlight = inFlight(4, 2);
        inFlight.admit();
        inFlight.admit();
        CompletableFuture<Void> third = CompletableFuture.runAsync(inFlight::admit);
        try {
            third.get(200, TimeUnit.MILLISECONDS);
            throw new AssertionError("a third delivery was admitted past the cap");
        } catch (TimeoutException expected) {
            // waiting, as it should
        }
        inFlight.leave();
        third.get(5, TimeUnit.SECONDS);
    }
}
