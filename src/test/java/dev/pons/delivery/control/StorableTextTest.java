package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void controlCharactersGoTabsAndLineBreaksStay() {
        assertEquals("badanswer\tline\r\nend", Outcomes.storable("bad\u0000answer\u0001\u007f\u0085\tline\r\nend"));
        assertNull(Outcomes.storable(null));
    }

    @Test
    void atMostTheColumnsThousandCharactersWhatWasStrippedNotCounted() {
        String stored = Outcomes.storable("\u0000".repeat(10) + "x".repeat(1_200));
        assertEquals("x".repeat(Outcomes.MAX_STORED_CHARS), stored);
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String emoji = "\uD83D\uDE00";
        String stored = Outcomes.storable("x".repeat(Outcomes.MAX_STORED_CHARS - 1) + emoji);
        assertEquals("x".repeat(Outcomes.MAX_STORED_CHARS - 1), stored);
        assertEquals("x" + emoji, Outcomes.storable("x" + emoji));
    }
}
