package dev.pons.ingest.control;

/**
 * A webhook body that is not a WhatsApp notification Pons can read. The message names the offending
 * place (for example {@code entry[0].changes[0].value.metadata.phone_number_id missing}) because it is
 * stored next to the raw body for whoever investigates it later.
 */
public class MalformedNotificationException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedNotificationException(String message) {
        super(message);
    }

    public MalformedNotificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
