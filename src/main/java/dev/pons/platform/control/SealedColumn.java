package dev.pons.platform.control;

/**
 * A column that holds values sealed by {@link Secrets}. A value is bound to its column and row, so one
 * copied elsewhere does not open. Components produce theirs as CDI beans, so that {@link Reseal} finds
 * every one of them without knowing the components.
 */
public record SealedColumn(String table, String idColumn, String column) {

    /** What a value of the row {@code rowId} in this column is bound to. */
    public String binding(String rowId) {
        return table + "." + column + "/" + rowId;
    }

    @Override
    public String toString() {
        return table + "." + column;
    }
}
