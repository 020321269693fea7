package dev.pons.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

import dev.pons.accounts.entity.Account;
import dev.pons.accounts.entity.ApiKey;
import dev.pons.platform.control.Bearer;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Ids;
import dev.pons.platform.control.OperatorToken;

/** Accounts: creation (operator) and authentication of every account call by one of its API keys. */
@ApplicationScoped
public class Accounts {

    private static final Logger LOG = Logger.getLogger(Accounts.class.getName());

    public record Created(Account account, String apiKey) {
    }

    /** Who calls an endpoint that takes either the account's API key or the operator token. */
    public record Caller(Account account, boolean operator) {
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    KeyUses keyUses;

    @Inject
    OperatorToken operatorToken;

    /** The account with its first API key, whose value is only in the answer. */
    public Created create(String name) {
        long now = clock.millis();
        Account account = new Account(Ids.next("acct", now), name, now);
        em.persist(account);
        ApiKeys.Issued first = ApiKeys.issue(account.getId(), ApiKeys.FIRST_KEY_NAME, now);
        em.persist(first.apiKey());
        return new Created(account, first.key());
    }

    /** The account one of whose API keys is presented, or 401. */
    public Account authenticate(String authorizationHeader) {
        String key = Bearer.token(authorizationHeader);
        if (key == null) {
            throw unauthorized();
        }
        List<Object[]> found = em.createNamedQuery(ApiKey.WITH_ACCOUNT_BY_HASH, Object[].class)
                .setParameter("hash", ApiKeys.hash(key))
                .getResultList();
        if (found.isEmpty()) {
            throw unauthorized();
        }
        ApiKey apiKey = (ApiKey) found.get(0)[0];
        // Read only: detached, so that a list of keys in this request reads the use recorded below.
        if (em.contains(apiKey)) {
            em.detach(apiKey);
        }
        recordUse(apiKey);
        return (Account) found.get(0)[1];
    }

    private void recordUse(ApiKey apiKey) {
        long now = clock.millis();
        if (!keyUses.claim(apiKey.getId(), apiKey.getLastUsedAt(), now)) {
            return;
        }
        try {
            keyUses.record(apiKey.getId(), now);
        } catch (RuntimeException e) {
            // Bookkeeping only: the request goes on, and a later one records the use.
            LOG.warning(() -> "could not record the use of API key " + apiKey.getId() + ": " + e);
        }
    }

    private static DomainException unauthorized() {
        return new DomainException(DomainException.Kind.UNAUTHORIZED, "missing or invalid API key");
    }

    /**
     * Holds the account's row until the caller's transaction ends, so that work counted against one of
     * its quotas (creating a target, registering a number, minting a key) is counted one caller after
     * the other, on every instance.
     */
    public void lockForQuota(Account account) {
        em.lock(em.contains(account) ? account : em.find(Account.class, account.getId()),
                LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The caller's account when it is the one named in the path. Another account's id answers 404,
     * as if it did not exist, so ids of other tenants cannot be probed.
     */
    public Account authorize(String authorizationHeader, String accountId) {
        Account caller = authenticate(authorizationHeader);
        if (!caller.getId().equals(accountId)) {
            throw DomainException.notFound("account " + accountId);
        }
        return caller;
    }

    /**
     * As {@link #authorize}, but the operator token reaches every account too: the operator mints a key
     * for an account that lost all of its keys.
     */
    public Caller authorizeOrOperator(String authorizationHeader, String accountId) {
        if (operatorToken.presentedIn(authorizationHeader)) {
            Account account = em.find(Account.class, accountId);
            if (account == null) {
                throw DomainException.notFound("account " + accountId);
            }
            return new Caller(account, true);
        }
        return new Caller(authorize(authorizationHeader, accountId), false);
    }
}
