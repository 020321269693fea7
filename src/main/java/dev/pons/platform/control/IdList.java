package dev.pons.platform.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Ids for an SQL {@code IN (?, …)} list, their count padded to a power of two by repeating the last:
 * the database (and Hibernate) see a handful of statements and keep them prepared, where a JPQL query
 * with a list parameter is translated anew for each size.
 */
public final class IdList {

    private IdList() {
    }

    public static List<String> padded(List<String> ids) {
        List<String> values = new ArrayList<>(ids);
        int size = values.size() <= 1 ? 1 : Integer.highestOneBit(values.size() - 1) << 1;
        while (values.size() < size) {
            values.add(values.get(values.size() - 1));
        }
        return values;
    }

    /** {@code (?, ?, …)} with {@code count} parameters. */
    public static String placeholders(int count) {
        return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
    }
}
