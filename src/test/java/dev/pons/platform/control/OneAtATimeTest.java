package dev.pons.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OneAtATimeTest {

    final OneAtATime guard = new OneAtATime();
    final DomainException busy = DomainException.tooMany("busy", List.of());

    @Test
    void aSecondCallForTheSameKeyIsRefusedWhileTheFirstRuns() {
        String result = guard.run("whk_1", () -> {
            assertSame(busy, assertThrows(DomainException.class, () -> guard.run("whk_1", () -> "twice", () -> busy)));
            assertEquals("other", guard.run("whk_2", () -> "other", () -> busy), "other keys are not held up");
            return "first";
        }, () -> busy);
        assertEquals("first", result);
        assertEquals("again", guard.run("whk_1", () -> "again", () -> busy), "the key is free once the work ended");
    }

    @Test
    void workThatFailsFreesItsKey() {
        assertThrows(IllegalStateException.class, () -> guard.run("whk_1", () -> {
            throw new IllegalStateException("database away");
        }, () -> busy));
        assertEquals("next", guard.run("whk_1", () -> "next", () -> busy));
    }
}
