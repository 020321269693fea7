package dev.pons.platform.control;

/**
 * A message the broker gave up on, announced as a CDI event in the dead-letter listener's transaction:
 * the component whose messages are of that {@link Queues#KIND} observes it, if it cares.
 */
public record DeadLetter(String kind, String id) {
}
