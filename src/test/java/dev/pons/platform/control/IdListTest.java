package dev.pons.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class IdListTest {

    @Test
    void padsToAPowerOfTwoByRepeatingTheLast() {
        assertEquals(List.of("a"), IdList.padded(List.of("a")));
        assertEquals(List.of("a", "b"), IdList.padded(List.of("a", "b")));
        assertEquals(List.of("a", "b", "c", "c"), IdList.padded(List.of("a", "b", "c")));
        assertEquals(8, IdList.padded(List.of("1", "2", "3", "4", "5")).size());
        assertEquals(16, IdList.padded(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9")).size());
    }

    @Test
    void aPlaceholderPerValue() {
        assertEquals("(?)", IdList.placeholders(1));
        assertEquals("(?, ?, ?, ?)", IdList.placeholders(4));
    }
}
