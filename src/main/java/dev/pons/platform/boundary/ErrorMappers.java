package dev.pons.platform.boundary;

import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.pons.platform.control.DomainException;

/**
 * Every error leaves the API as {@code {"error", "details"}}. Messages never echo request bodies,
 * so a secret a client sent by mistake is not reflected back or logged.
 */
public final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {
    }

    static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodySizeLimit.TooLarge) {
                return true;
            }
        }
        return false;
    }

    static Response tooLargeResponse() {
        return json(413, ApiError.of("request body too large"));
    }

    static Response json(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }

    @Provider
    public static class WebApplicationErrors implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            if (tooLarge(e)) {
                return tooLargeResponse();
            }
            Response original = e.getResponse();
            int status = original.getStatus();
            if (status == 400 && e.getCause() != null) {
                return json(400, ApiError.of("request body is not valid JSON for this call"));
            }
            String message = switch (status) {
                case 401 -> "missing or invalid credentials";
                case 404 -> e.getMessage() != null && !e.getMessage().startsWith("RESTEASY") && !e.getMessage().startsWith("HTTP")
                        ? e.getMessage() : "not found";
                case 405 -> "method not allowed";
                case 406 -> "not acceptable";
                case 413 -> "request body too large";
                case 415 -> "unsupported media type: send application/json";
                default -> e.getMessage() != null ? e.getMessage() : original.getStatusInfo().getReasonPhrase();
            };
            Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of(message));
            original.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type")) {
                    values.forEach(v -> builder.header(name, v));
                }
            });
            return builder.build();
        }
    }

    @Provider
    public static class ConstraintViolations implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            List<String> details = e.getConstraintViolations().stream()
                    .map(ConstraintViolations::describe)
                    .sorted(Comparator.naturalOrder())
                    .toList();
            return json(400, new ApiError("validation failed", details));
        }

        private static String describe(ConstraintViolation<?> violation) {
            String path = violation.getPropertyPath().toString();
            // "create.arg1.url" -> "url": clients know their fields, not our method names.
            int lastDot = path.lastIndexOf('.');
            String field = lastDot >= 0 ? path.substring(lastDot + 1) : path;
            if (field.startsWith("arg") || field.isEmpty()) {
                return violation.getMessage();
            }
            return field + ": " + violation.getMessage();
        }
    }

    @Provider
    public static class UnreadableBodies implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            if (tooLarge(e)) {
                return tooLargeResponse();
            }
            return json(400, ApiError.of("request body is not valid JSON for this call"));
        }
    }

    @Provider
    public static class DomainErrors implements ExceptionMapper<DomainException> {
        @Override
        public Response toResponse(DomainException e) {
            int status = switch (e.kind()) {
                case INVALID -> 400;
                case UNAUTHORIZED -> 401;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                case TOO_LARGE -> 413;
                case TOO_MANY -> 429;
                case UPSTREAM_FAILED -> 502;
                case UNAVAILABLE -> 503;
            };
            Response response = json(status, new ApiError(e.getMessage(), e.details()));
            if (e.kind() == DomainException.Kind.UNAVAILABLE) {
                return Response.fromResponse(response).header("Retry-After", "5").build();
            }
            return response;
        }
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            if (tooLarge(e)) {
                return tooLargeResponse();
            }
            Throwable cause = rootCause(e);
            if (cause instanceof JsonbException || cause instanceof JsonParsingException) {
                return json(400, ApiError.of("request body is not valid JSON for this call"));
            }
            if (cause instanceof DomainException domain) {
                return new DomainErrors().toResponse(domain);
            }
            if (cause instanceof ConstraintViolationException violations) {
                return new ConstraintViolations().toResponse(violations);
            }
            String refused = refusedValue(e);
            if (refused != null) {
                // The input checks missed a value the database will not store; the transaction rolled back.
                LOG.warning(() -> "answered 400: the database refused a value of the request (SQLState " + refused + ")");
                return json(400, new ApiError("invalid input: a value cannot be stored",
                        List.of("a text field is too long or holds characters the database refuses")));
            }
            String unavailable = unavailableDependency(e);
            if (unavailable != null) {
                // Not a bug of ours and nothing was applied: the caller should retry (Meta does), the operator
                // sees readiness DOWN. One line, no stack: an outage would otherwise flood the log.
                LOG.warning(() -> "answered 503: the " + unavailable + " cannot be reached: " + e);
                return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", "5")
                        .entity(ApiError.of("service temporarily unavailable: the " + unavailable
                                + " cannot be reached or did not commit; retry later"))
                        .build();
            }
            LOG.log(Level.SEVERE, "unexpected error answering a request", e);
            return json(500, ApiError.of("internal error; the request was not applied"));
        }

        /**
         * The SQLState of a data exception (class 22: a value too long, not valid in its encoding, out of
         * range) somewhere in the causes, else null. Only input makes one: everything Pons writes of its own
         * is checked or cleaned first.
         */
        static String refusedValue(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                    if (sql.getSQLState().startsWith("22")) {
                        return sql.getSQLState();
                    }
                    if (sql.getNextException() != null && sql.getNextException().getSQLState() != null
                            && sql.getNextException().getSQLState().startsWith("22")) {
                        return sql.getNextException().getSQLState();
                    }
                }
            }
            return null;
        }

        /**
         * "database" or "broker" when the failure is that one cannot be reached (connection refused or cut,
         * server shutting down, no pooled connection within the timeout), else null. Standard types only:
         * SQLState class 08 (connection exception) and 57P (operator intervention, e.g. PostgreSQL shutting
         * down), the JDBC connection exception subtypes, any JMS failure, and an XA resource manager failure.
         * A commit the transaction manager could not complete (rolled back or heuristic, e.g. the database
         * went away between prepare and commit) counts too, unless an SQL error of another kind (a constraint,
         * bad data) caused it: that is a bug to see, not an outage to retry.
         */
        static String unavailableDependency(Throwable e) {
            boolean commitFailed = false;
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof java.sql.SQLTransientConnectionException
                        || t instanceof java.sql.SQLNonTransientConnectionException
                        || t instanceof java.sql.SQLRecoverableException) {
                    return "database";
                }
                if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                    if (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")) {
                        return "database";
                    }
                    return null;
                }
                if (t instanceof jakarta.jms.JMSException || t instanceof jakarta.jms.JMSRuntimeException) {
                    return "broker";
                }
                if (t instanceof javax.transaction.xa.XAException xa
                        && (xa.errorCode == javax.transaction.xa.XAException.XAER_RMFAIL
                        || xa.errorCode == javax.transaction.xa.XAException.XA_RBCOMMFAIL)) {
                    return "database or broker";
                }
                if (t instanceof jakarta.transaction.RollbackException
                        || t instanceof jakarta.transaction.HeuristicMixedException
                        || t instanceof jakarta.transaction.HeuristicRollbackException
                        || t instanceof jakarta.transaction.SystemException) {
                    commitFailed = true;
                }
            }
            return commitFailed ? "database or broker" : null;
        }

        private static Throwable rootCause(Throwable e) {
            Throwable current = e;
            while (current.getCause() != null && current.getCause() != current) {
                if (current instanceof DomainException || current instanceof ConstraintViolationException) {
                    return current;
                }
                current = current.getCause();
            }
            return current;
        }
    }
}
