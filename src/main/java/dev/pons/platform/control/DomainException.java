package dev.pons.platform.control;

import jakarta.ejb.ApplicationException;
import java.util.List;

/**
 * A refusal the client can act on. Control beans throw it; one mapper turns it into a 4xx with the
 * API's error shape, so no control bean knows about HTTP.
 * Rolls back the transaction it leaves, also when it crosses an enterprise bean.
 */
@ApplicationException(rollback = true)
public class DomainException extends RuntimeException {

    public enum Kind { INVALID, UNAUTHORIZED, NOT_FOUND, CONFLICT, TOO_LARGE, TOO_MANY, UPSTREAM_FAILED, UNAVAILABLE }

    private final Kind kind;
    private final List<String> details;

    public DomainException(Kind kind, String message, List<String> details) {
        super(message);
        this.kind = kind;
        this.details = List.copyOf(details);
    }

    public DomainException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public static DomainException invalid(String message, List<String> details) {
        return new DomainException(Kind.INVALID, message, details);
    }

    public static DomainException notFound(String what) {
        return new DomainException(Kind.NOT_FOUND, what + " not found");
    }

    public static DomainException conflict(String message) {
        return new DomainException(Kind.CONFLICT, message);
    }

    /** A quota of the account (pons.limits.*) would be exceeded: answered 429. */
    public static DomainException tooMany(String message, List<String> details) {
        return new DomainException(Kind.TOO_MANY, message, details);
    }

    /** A service we depend on (the Cloud API) could not be reached or did not answer: answered 502. */
    public static DomainException upstreamFailed(String message, List<String> details) {
        return new DomainException(Kind.UPSTREAM_FAILED, message, details);
    }

    /** Our own trouble, passing: answered 503 with Retry-After. */
    public static DomainException unavailable(String message) {
        return new DomainException(Kind.UNAVAILABLE, message);
    }

    public Kind kind() {
        return kind;
    }

    public List<String> details() {
        return details;
    }
}
