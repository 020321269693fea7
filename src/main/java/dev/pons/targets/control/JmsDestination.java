package dev.pons.targets.control;

/**
 * A JMS destination the operator configured ({@code pons.jms-targets.<name>.*}): the name tenants see and
 * the JNDI names of the server resources behind it. {@code topic}: {@code jndiName} names a topic, not a queue.
 */
public record JmsDestination(String name, String connectionFactory, String jndiName, boolean topic) {
}
