package dev.pons.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.transaction.Transactional;
import java.net.http.HttpResponse;

import org.eclipse.microprofile.faulttolerance.Bulkhead;

import dev.pons.platform.control.CloudApi;

/**
 * Asks the WhatsApp Cloud API whether an access token reaches a phone number: {@code GET
 * {graph-base-url}/{phone-number-id}} answers 200 with that {@code id} only to a token of the WhatsApp
 * Business Account that holds the number. Redirects are never followed: the token must not travel on.
 */
@ApplicationScoped
public class NumberProof {

    public enum Outcome {
        PROVEN,
        /** Meta answered, and not with this number: a refused token, another id, no such number. */
        REFUSED,
        /** No answer in time, no connection, or Meta failing or throttling: nothing is known. */
        UNREACHABLE
    }

    /** What the proof showed; {@code why} is Meta's side only, never the token. */
    public record Proof(Outcome outcome, String why) {

        public boolean proven() {
            return outcome == Outcome.PROVEN;
        }
    }

    @Inject
    CloudApi cloudApi;

    /**
     * Never inside a transaction: the answer may take the whole timeout, and no database connection or
     * transaction timeout should wait on Meta. The bulkhead bounds the request threads one instance lets
     * wait; when full it refuses at once (BulkheadException), before anything is sent.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    @Bulkhead(value = 16)
    public Proof prove(String phoneNumberId, String accessToken) {
        try {
            HttpResponse<String> response = cloudApi.exchange("/" + phoneNumberId, accessToken,
                    request -> request.header("Accept", "application/json").GET());
            return judge(phoneNumberId, response.statusCode(), response.body(), accessToken);
        } catch (CloudApi.Failure failure) {
            return unreachable(failure.getMessage());
        }
    }

    /**
     * Meta's answer: 200 with {@code {"id": ...}} proves the number when the id is the one asked for. A
     * 4xx is Meta refusing (an invalid or expired token, code 190; a number the token cannot see, code
     * 100), except 429, which like a 5xx says Meta cannot tell right now.
     */
    static Proof judge(String phoneNumberId, int status, String body, String accessToken) {
        JsonObject json = CloudApi.jsonObject(body);
        if (status / 100 == 2) {
            String id = json == null ? null : string(json, "id");
            if (phoneNumberId.equals(id)) {
                return new Proof(Outcome.PROVEN, null);
            }
            return new Proof(Outcome.REFUSED, id == null
                    ? "the WhatsApp Cloud API answered without a phone number id"
                    : "the WhatsApp Cloud API answered for phone number id " + redact(id, accessToken)
                    + ", not " + phoneNumberId);
        }
        String meta = metaError(status, json, accessToken);
        if (status == 429 || status / 100 == 5) {
            return unreachable("the WhatsApp Cloud API could not answer (" + meta + ")");
        }
        return new Proof(Outcome.REFUSED, "the WhatsApp Cloud API refused the access token for this number ("
                + meta + ")");
    }

    private static String metaError(int status, JsonObject json, String accessToken) {
        JsonObject error = json != null && json.get("error") instanceof JsonObject e ? e : null;
        StringBuilder text = new StringBuilder("HTTP ").append(status);
        if (error != null) {
            if (error.get("code") instanceof JsonNumber code) {
                text.append(", code ").append(code);
            }
            String message = string(error, "message");
            if (message != null) {
                // Meta's messages are short; a long one is cut so an answer never carries a page of it.
                String shown = message.length() > 300 ? message.substring(0, 300) + "…" : message;
                text.append(": ").append(redact(shown, accessToken));
            }
        }
        return text.toString();
    }

    private static Proof unreachable(String why) {
        return new Proof(Outcome.UNREACHABLE, why);
    }

    private static String redact(String text, String secret) {
        return secret == null || secret.isEmpty() ? text : text.replace(secret, "[access token]");
    }

    private static String string(JsonObject parent, String field) {
        return parent.get(field) instanceof JsonString s && !s.getString().isBlank() ? s.getString() : null;
    }
}
