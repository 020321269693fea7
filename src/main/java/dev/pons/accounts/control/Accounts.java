package dev.pons.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.List;

import dev.pons.accounts.entity.Account;
import dev.pons.platform.control.Bearer;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Ids;

/** Accounts and their API keys: creation (operator) and authentication of every account call. */
@ApplicationScoped
public class Accounts {

    public record Created(Account account, String apiKey) {
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    public Created create(String name) {
        String apiKey = ApiKeys.generate();
        long now = clock.millis();
        Account account = new Account(Ids.next("acct", now), name, ApiKeys.hash(apiKey), now);
        em.persist(account);
        return new Created(account, apiKey);
    }

    /** The account whose API key is presented, or 401. */
    public Account authenticate(String authorizationHeader) {
        String key = Bearer.token(authorizationHeader);
        if (key == null) {
            throw new DomainException(DomainException.Kind.UNAUTHORIZED, "missing or invalid API key");
        }
        List<Account> found = em.createNamedQuery(Account.BY_KEY_HASH, Account.class)
                .setParameter("hash", ApiKeys.hash(key))
                .getResultList();
        if (found.isEmpty()) {
            throw new DomainException(DomainException.Kind.UNAUTHORIZED, "missing or invalid API key");
        }
        return found.get(0);
    }

    /**
     * Holds the account's row until the caller's transaction ends, so that work counted against one of
     * its quotas (creating a target, registering a number) is counted one caller after the other, on
     * every instance.
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
}
