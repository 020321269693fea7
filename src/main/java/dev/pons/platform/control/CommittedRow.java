package dev.pons.platform.control;

import java.util.function.Supplier;

/**
 * A row and the message carrying its id commit in one XA transaction, but the two resources commit
 * one after the other: a listener can receive the id a few milliseconds before the row is visible.
 * Looking again briefly covers that gap; after it, the caller throws and the broker redelivers.
 */
public final class CommittedRow {

    static final int TRIES = 50;
    static final long PAUSE_MS = 10;

    private CommittedRow() {
    }

    /** The lookup's result once non-null, or null after about half a second. */
    public static <T> T await(Supplier<T> lookup) {
        for (int i = 0; i < TRIES; i++) {
            T found = lookup.get();
            if (found != null) {
                return found;
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
