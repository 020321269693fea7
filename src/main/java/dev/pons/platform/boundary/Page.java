package dev.pons.platform.boundary;

import java.util.List;
import java.util.function.Function;

/** A list answer: {@code {items: [...], nextCursor}}; nextCursor is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from {@code limit + 1} rows fetched newest first: the extra row only tells that
     * more exist, and the cursor is the id of the last row shown.
     */
    public static <E, T> Page<T> of(List<E> rowsPlusOne, int limit, Function<E, String> id, Function<E, T> view) {
        boolean more = rowsPlusOne.size() > limit;
        List<E> shown = more ? rowsPlusOne.subList(0, limit) : rowsPlusOne;
        String cursor = more ? id.apply(shown.get(shown.size() - 1)) : null;
        return new Page<>(shown.stream().map(view).toList(), cursor);
    }
}
