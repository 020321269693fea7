package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.pons.platform.control.Ids;

class IdsTest {

    @Test
    void idsHaveThePrefixAndFixedLength() {
        String id = Ids.next("evt", 1_700_000_000_000L);
        assertTrue(id.matches("evt_[0-9a-hjkmnp-tv-z]{26}"), id);
    }

    @Test
    void laterIdsSortAfterEarlierOnes() {
        String earlier = Ids.next("dlv", 1_700_000_000_000L);
        String later = Ids.next("dlv", 1_700_000_000_001L);
        assertTrue(earlier.compareTo(later) < 0, earlier + " < " + later);
    }

    @Test
    void idsOfTheSameMillisecondDiffer() {
        assertNotEquals(Ids.next("x", 5), Ids.next("x", 5));
        assertEquals(Ids.next("x", 5).substring(0, 12), Ids.next("x", 5).substring(0, 12));
    }

    @Test
    void idsMadeInOneMillisecondSortInTheOrderTheyWereMade() {
        java.util.List<String> made = new java.util.ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            made.add(Ids.next("dlv", 1_764_000_000_000L));
        }
        java.util.List<String> sorted = new java.util.ArrayList<>(made);
        sorted.sort(null);
        assertEquals(made, sorted, "ids of one millisecond keep their making order (a FIFO target's switch-over relies on it)");
        assertEquals(1_000, made.stream().distinct().count());
    }
}
