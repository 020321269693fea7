package dev.pons.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsMadeInOneMillisecondSortInTheOrderTheyWereMade() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            made.add(Ids.next("dlv", 1_764_000_000_000L));
        }
        List<String> sorted = new ArrayList<>(made);
        sorted.sort(null);
        assertEquals(made, sorted, "ids of one millisecond keep their making order (a FIFO line is built on it)");
        assertEquals(1_000, made.stream().distinct().count());
    }

    @Test
    void idsSortByTimeFirst() {
        String later = Ids.next("evt", 1_764_000_000_001L);
        String earlier = Ids.next("evt", 1_764_000_000_000L);
        assertTrue(earlier.compareTo(later) < 0, "an id of an earlier millisecond sorts first whatever its random part");
        assertEquals(30, later.length(), "prefix, underscore and 26 characters");
    }
}
