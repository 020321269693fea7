package dev.pons.targets.control;

/**
 * A target is being deleted, in the transaction that deletes it, before its row goes: whoever keeps rows
 * about it that the database does not delete with it removes them.
 */
public record TargetDeleted(String targetId) {
}
