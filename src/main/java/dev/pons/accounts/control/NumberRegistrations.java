package dev.pons.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;

import dev.pons.accounts.entity.Account;
import dev.pons.accounts.entity.PhoneNumber;
import dev.pons.platform.control.DomainException;

/**
 * Registration of a WhatsApp number: a tenant proves the number with an access token that the Cloud API
 * accepts for it; the operator registers without proof. Nothing here reveals whether another account
 * holds a number before the caller proved it is theirs.
 */
@ApplicationScoped
public class NumberRegistrations {

    private static final Logger LOG = Logger.getLogger(NumberRegistrations.class.getName());

    /** Meta's ids are digits; 64 is the width of every phone_number_id column. */
    static final Pattern PHONE_NUMBER_ID = Pattern.compile("[0-9]{1,64}");
    /** At most 40 characters, the width of display_phone_number. */
    private static final Pattern DISPLAY_PHONE_NUMBER = Pattern.compile("\\+?[0-9 ()-]{3,39}");
    /*
     * A bearer token is printable ASCII without spaces (RFC 6750); 2,000 such characters seal to well under
     * the 4,000 of access_token_sealed (NumberRegistrationsTest keeps that true).
     */
    static final int MAX_ACCESS_TOKEN = 2000;
    private static final Pattern ACCESS_TOKEN = Pattern.compile("[\\x21-\\x7E]{1," + MAX_ACCESS_TOKEN + "}");

    private static final Set<String> FIELDS = Set.of("phoneNumberId", "displayPhoneNumber", "accessToken");

    @Inject
    Numbers numbers;

    @Inject
    NumberProof proof;

    /**
     * Checks the input, proves the number unless the operator registers it, then stores it. The proof
     * runs outside any transaction (NumberProof suspends one) and the row is written in one of its own.
     */
    public PhoneNumber register(Account account, JsonObject body, boolean operator) {
        List<String> problems = new ArrayList<>();
        String phoneNumberId = string(body, "phoneNumberId", problems);
        String displayPhoneNumber = string(body, "displayPhoneNumber", problems);
        String accessToken = string(body, "accessToken", problems);
        if (body != null) {
            body.keySet().stream().filter(field -> !FIELDS.contains(field)).sorted()
                    .forEach(field -> problems.add(field + ": unknown field"));
        }
        problems.addAll(problems(phoneNumberId, displayPhoneNumber, accessToken, operator, problems));
        if (!problems.isEmpty()) {
            throw DomainException.invalid("invalid phone number", problems);
        }
        // Before asking Meta: an account at its quota learns so at once, whatever the token.
        numbers.requireRoom(account);
        if (!operator) {
            prove(phoneNumberId, accessToken);
        }
        return numbers.add(account, phoneNumberId, displayPhoneNumber, accessToken);
    }

    /**
     * The problems of the fields' values, as {@code "<field>: <what to fix>"}; a field already reported
     * (of the wrong JSON type) in {@code reported} is not reported twice.
     */
    static List<String> problems(String phoneNumberId, String displayPhoneNumber, String accessToken,
                                 boolean operator, List<String> reported) {
        List<String> problems = new ArrayList<>();
        if (!isReported(reported, "phoneNumberId")
                && (phoneNumberId == null || !PHONE_NUMBER_ID.matcher(phoneNumberId).matches())) {
            problems.add("phoneNumberId: must be Meta's numeric phone number id (at most 64 digits)");
        }
        if (!isReported(reported, "displayPhoneNumber")
                && (displayPhoneNumber == null || !DISPLAY_PHONE_NUMBER.matcher(displayPhoneNumber).matches())) {
            problems.add("displayPhoneNumber: must be a phone number of at most 40 characters such as +15550783881");
        }
        if (isReported(reported, "accessToken")) {
            return problems;
        }
        if (accessToken == null) {
            if (!operator) {
                problems.add("accessToken: is required: a WhatsApp Cloud API access token that can read this"
                        + " phone number proves it is yours");
            }
        } else if (!ACCESS_TOKEN.matcher(accessToken).matches()) {
            problems.add("accessToken: must be a WhatsApp Cloud API access token: printable ASCII without spaces,"
                    + " at most " + MAX_ACCESS_TOKEN + " characters");
        }
        return problems;
    }

    private static boolean isReported(List<String> reported, String field) {
        return reported.stream().anyMatch(p -> p.startsWith(field + ":"));
    }

    /** The field's string, null when absent or null; another JSON type is a problem (never echoed). */
    private static String string(JsonObject body, String field, List<String> problems) {
        JsonValue value = body == null ? null : body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        problems.add(field + ": must be a string");
        return null;
    }

    private void prove(String phoneNumberId, String accessToken) {
        NumberProof.Proof result;
        try {
            result = proof.prove(phoneNumberId, accessToken);
        } catch (BulkheadException full) {
            throw DomainException.unavailable(
                    "too many numbers are being proved right now; nothing was registered, try again shortly");
        }
        switch (result.outcome()) {
            case PROVEN -> {
            }
            case REFUSED -> {
                LOG.info(() -> "phone number " + phoneNumberId + " not proved: " + result.why());
                throw DomainException.invalid("the access token does not prove this phone number is yours",
                        List.of("accessToken: " + result.why()
                                + "; use a token of the WhatsApp Business Account that holds this number"));
            }
            case UNREACHABLE -> {
                LOG.warning(() -> "phone number " + phoneNumberId + " could not be proved: " + result.why());
                throw DomainException.upstreamFailed(
                        "the WhatsApp Cloud API could not be asked to prove this number; nothing was registered,"
                                + " try again", List.of(result.why()));
            }
        }
    }
}
