package dev.pons.delivery.control;

import java.util.ArrayList;
import java.util.List;

/**
 * The right to attempt one delivery until a point in time, as a queue message carries it. Whoever
 * hands a delivery to the queue (fan-out, sweeper, retry timer, retry, replay) takes the lease in the
 * database first ({@link Leases}); a worker holding a message whose lease still matches the row may
 * POST without another write. {@code until} doubles as the lease's identity: a new lease is always
 * taken after the old one expired, so it is always later, never equal.
 *
 * <p>A queue message carries several leases, one per line ({@code "<deliveryId> <until>"}): the
 * deliveries of one commit travel together, so the worker takes them with one query and POSTs them
 * side by side instead of paying a message and a transaction for each.
 */
public record Lease(String deliveryId, long until) {

    public String message() {
        return deliveryId + " " + until;
    }

    public static String message(List<Lease> leases) {
        StringBuilder text = new StringBuilder(leases.size() * 48);
        for (Lease lease : leases) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(lease.message());
        }
        return text.toString();
    }

    public static List<Lease> parseAll(String message) {
        List<Lease> leases = new ArrayList<>();
        for (String line : message.split("\n")) {
            if (!line.isBlank()) {
                leases.add(parse(line));
            }
        }
        if (leases.isEmpty()) {
            throw new IllegalArgumentException("an empty delivery message");
        }
        return leases;
    }

    public static Lease parse(String line) {
        String text = line.strip();
        int space = text.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("not a delivery lease: " + line);
        }
        try {
            return new Lease(text.substring(0, space), Long.parseLong(text.substring(space + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a delivery lease: " + line, e);
        }
    }
}
