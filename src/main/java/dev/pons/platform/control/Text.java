package dev.pons.platform.control;

/**
 * Text fit for every database Pons runs on. PostgreSQL refuses a NUL in any text column, and one
 * refused value fails the whole transaction around it; no name, id, URL or token needs a control
 * character either. So input with one is refused before anything is written, and text from outside
 * that must be kept anyway (a receiver's answer, a Cloud API error) is cleaned.
 */
public final class Text {

    private Text() {
    }

    /** Whether the text holds a control character (C0, DEL or C1), line breaks and tabs included. */
    public static boolean hasControlCharacters(String s) {
        return s != null && s.chars().anyMatch(Character::isISOControl);
    }

    /** The same, but tabs and line breaks pass: for free text such as a message body. */
    public static boolean hasControlCharactersBesidesLineBreaks(String s) {
        return s != null && s.chars().anyMatch(c -> Character.isISOControl(c) && !isLineBreakOrTab(c));
    }

    /**
     * What is wrong with a one-line input value, as {@code "<field>: <what to fix>"}, or null when it
     * can be stored in a column of {@code maxLength} characters.
     */
    public static String problem(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            return field + ": must be at most " + maxLength + " characters";
        }
        if (hasControlCharacters(value)) {
            return field + ": must not contain control characters";
        }
        return null;
    }

    /**
     * Text from outside that is kept whatever it holds: without control characters other than tabs and
     * line breaks, and at most {@code maxChars} long, never cut between the halves of a character.
     */
    public static String storable(String s, int maxChars) {
        if (s == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder(Math.min(s.length(), maxChars));
        for (int i = 0; i < s.length() && kept.length() < maxChars; i++) {
            char c = s.charAt(i);
            if (isLineBreakOrTab(c) || !Character.isISOControl(c)) {
                kept.append(c);
            }
        }
        int end = kept.length();
        if (end > 0 && Character.isHighSurrogate(kept.charAt(end - 1))) {
            kept.setLength(end - 1);
        }
        return kept.toString();
    }

    private static boolean isLineBreakOrTab(int c) {
        return c == '\t' || c == '\n' || c == '\r';
    }
}
