package dev.pons.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void controlCharactersAreC0DelAndC1LineBreaksIncluded() {
        for (String bad : new String[] {"a\u0000", "a\u001f", "a\u007f", "a\u0085", "a\u009f", "a\n", "a\t", "a\r"}) {
            assertTrue(Text.hasControlCharacters(bad), bad);
        }
        assertFalse(Text.hasControlCharacters("Ünïcödé – \uD83D\uDE00 text with spaces"));
        assertFalse(Text.hasControlCharacters(null));
    }

    @Test
    void freeTextMayHoldTabsAndLineBreaksOnly() {
        assertFalse(Text.hasControlCharactersBesidesLineBreaks("line\r\nnext\ttab"));
        assertTrue(Text.hasControlCharactersBesidesLineBreaks("line\u0000"));
        assertTrue(Text.hasControlCharactersBesidesLineBreaks("bell\u0007"));
    }

    @Test
    void aProblemNamesTheFieldAndTheLimit() {
        assertNull(Text.problem("name", "x".repeat(10), 10));
        assertEquals("name: must be at most 10 characters", Text.problem("name", "x".repeat(11), 10));
        assertEquals("name: must not contain control characters", Text.problem("name", "x\u0000", 10));
    }

    @Test
    void storableKeepsTabsAndLineBreaksAndCutsWhole() {
        assertEquals("ab\tc\n", Text.storable("a\u0000b\tc\n\u0001", 100));
        assertEquals("abc", Text.storable("a\u0000bcdef", 3));
        assertEquals("a", Text.storable("a\uD83D\uDE00", 2));
        assertNull(Text.storable(null, 3));
    }
}
