package dev.pons.targets.control;

/**
 * A target's ordering was switched ({@code fifo}: one delivery at a time, in the order accepted), in
 * the transaction that changes it: whoever keeps the target's pending deliveries lines them up or lets
 * them go side by side.
 */
public record OrderingChanged(String targetId, boolean fifo) {
}
