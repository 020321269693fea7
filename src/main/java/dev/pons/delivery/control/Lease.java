package dev.pons.delivery.control;

/**
 * The right to attempt one delivery until a point in time, and the body of its queue message.
 * Whoever hands a delivery to the queue (fan-out, sweeper, retry timer, retry, replay) takes the
 * lease in the database first; a worker holding a message whose lease still matches the row may
 * POST without another write. {@code until} doubles as the lease's identity: a new lease is always
 * taken after the old one expired, so it is always later, never equal.
 */
public record Lease(String deliveryId, long until) {

    /** Without a lease (messages of versions before leases) the worker claims the row itself. */
    public static final long NONE = 0;

    public static Lease none(String deliveryId) {
        return new Lease(deliveryId, NONE);
    }

    public boolean held() {
        return until != NONE;
    }

    public String message() {
        return held() ? deliveryId + " " + until : deliveryId;
    }

    public static Lease parse(String message) {
        String text = message.strip();
        int space = text.indexOf(' ');
        if (space < 0) {
            return none(text);
        }
        try {
            return new Lease(text.substring(0, space), Long.parseLong(text.substring(space + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a delivery lease: " + message, e);
        }
    }
}
