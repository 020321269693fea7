package dev.pons.platform.control;

import java.util.List;

/** Validation of the list paging parameters every list call shares. */
public final class Limits {

    public static final int DEFAULT = 20;
    public static final int MAX = 100;

    private Limits() {
    }

    /** Taken as text: a JAX-RS {@code Integer} parameter that does not parse answers 404, not 400. */
    public static int pageSize(String requested) {
        if (requested == null || requested.isEmpty()) {
            return DEFAULT;
        }
        int size;
        try {
            size = Integer.parseInt(requested);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > MAX) {
            throw DomainException.invalid("invalid limit", List.of("limit: must be a whole number from 1 to " + MAX));
        }
        return size;
    }
}
