package dev.pons.platform.control;

/** Validation of the list paging parameters every list call shares. */
public final class Limits {

    public static final int DEFAULT = 20;
    public static final int MAX = 100;

    private Limits() {
    }

    public static int pageSize(Integer requested) {
        if (requested == null) {
            return DEFAULT;
        }
        if (requested < 1 || requested > MAX) {
            throw DomainException.invalid("invalid limit", java.util.List.of("limit: must be between 1 and " + MAX));
        }
        return requested;
    }
}
