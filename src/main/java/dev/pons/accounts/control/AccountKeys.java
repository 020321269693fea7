package dev.pons.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.accounts.entity.Account;
import dev.pons.accounts.entity.ApiKey;
import dev.pons.platform.control.DomainException;

/** The API keys of an account: listing, minting (up to the quota) and revoking them. */
@ApplicationScoped
public class AccountKeys {

    /** The name of a key minted without one. */
    static final String DEFAULT_NAME = "API key";

    static final int MAX_NAME_LENGTH = 100;

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Accounts accounts;

    @Inject
    @ConfigProperty(name = "pons.limits.api-keys-per-account")
    int keysPerAccount;

    public List<ApiKey> of(Account account) {
        return em.createNamedQuery(ApiKey.OF_ACCOUNT, ApiKey.class)
                .setParameter("accountId", account.getId())
                .getResultList();
    }

    /** A new key of the account, named by the body's {@code name} (optional). */
    public ApiKeys.Issued mint(Account account, JsonValue body) {
        String name = name(body);
        accounts.lockForQuota(account);
        if (count(account) >= keysPerAccount) {
            throw DomainException.tooMany("too many API keys", List.of("API keys: at most " + keysPerAccount
                    + " per account; revoke one first"));
        }
        ApiKeys.Issued issued = ApiKeys.issue(account.getId(), name, clock.millis());
        em.persist(issued.apiKey());
        return issued;
    }

    /**
     * Deletes the key, so that the next request with it is refused. An account's last key may be revoked
     * only by the operator: with an API key that would lock the account out of its own API for good.
     */
    public void revoke(Account account, String keyId, boolean byOperator) {
        // Two keys revoked at once must not both see the other one as the key that remains.
        accounts.lockForQuota(account);
        ApiKey key = em.find(ApiKey.class, keyId);
        if (key == null || !key.getAccountId().equals(account.getId())) {
            throw DomainException.notFound("API key " + keyId);
        }
        if (!byOperator && count(account) <= 1) {
            throw new DomainException(DomainException.Kind.CONFLICT, "the account's last API key cannot be revoked",
                    List.of("create another key first; only the operator token may revoke an account's last key"));
        }
        em.remove(key);
    }

    private long count(Account account) {
        return em.createNamedQuery(ApiKey.COUNT_OF_ACCOUNT, Long.class)
                .setParameter("accountId", account.getId())
                .getSingleResult();
    }

    /**
     * The name a create body asks for, or the default when there is no body or no name; every problem of
     * the body answers 400 together.
     */
    static String name(JsonValue json) {
        if (json == null || json.getValueType() == JsonValue.ValueType.NULL) {
            return DEFAULT_NAME;
        }
        if (!(json instanceof JsonObject body)) {
            throw DomainException.invalid("invalid API key request", List.of("body: must be a JSON object"));
        }
        List<String> problems = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!field.equals("name")) {
                problems.add(field + ": unknown field");
            }
        }
        String name = DEFAULT_NAME;
        JsonValue value = body.get("name");
        if (value != null && value.getValueType() != JsonValue.ValueType.NULL) {
            if (value instanceof JsonString text) {
                String stripped = text.getString().strip();
                if (stripped.isEmpty()) {
                    problems.add("name: must not be empty; leave it out for the default name");
                } else if (stripped.length() > MAX_NAME_LENGTH) {
                    problems.add("name: must be at most " + MAX_NAME_LENGTH + " characters");
                } else if (stripped.chars().anyMatch(Character::isISOControl)) {
                    // PostgreSQL refuses a NUL in text; no name needs a control character.
                    problems.add("name: must not contain control characters");
                } else {
                    name = stripped;
                }
            } else {
                problems.add("name: must be a string");
            }
        }
        if (!problems.isEmpty()) {
            throw DomainException.invalid("invalid API key request", problems);
        }
        return name;
    }
}
