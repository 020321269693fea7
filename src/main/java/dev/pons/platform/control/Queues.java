package dev.pons.platform.control;

/**
 * JNDI names of the messaging resources. The server binds them: Liberty's embedded engine by default,
 * an external Artemis broker in production. Messages carry ids only; the database holds the state.
 */
public final class Queues {

    public static final String CONNECTION_FACTORY = "jms/pons/ConnectionFactory";
    public static final String DELIVERY = "jms/pons/DeliveryQueue";
    public static final String INGEST = "jms/pons/IngestQueue";
    public static final String PING = "jms/pons/PingQueue";
    public static final String DEAD_LETTER = "jms/pons/DeadLetterQueue";

    /** String property naming what the id in the body refers to, so dead letters can be routed. */
    public static final String KIND = "ponsKind";

    private Queues() {
    }
}
