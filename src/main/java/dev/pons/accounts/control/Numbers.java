package dev.pons.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.accounts.entity.Account;
import dev.pons.accounts.entity.PhoneNumber;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.SealedColumn;
import dev.pons.platform.control.Secrets;

/** WhatsApp numbers: each belongs to at most one account; its Cloud API token is stored sealed. */
@ApplicationScoped
public class Numbers {

    // Reseal re-seals the columns produced as SealedColumn beans: a sealed column not produced here would keep its old key.
    @Produces
    static final SealedColumn ACCESS_TOKEN_COLUMN = PhoneNumber.ACCESS_TOKEN;


    @PersistenceContext
    EntityManager em;

    @Inject
    Secrets secrets;

    @Inject
    Clock clock;

    @Inject
    Accounts accounts;

    @Inject
    @ConfigProperty(name = "pons.limits.numbers-per-account")
    int numbersPerAccount;

    /**
     * Stores a number that {@link NumberRegistrations} checked (and, for a tenant, proved). The caller
     * proved the number is theirs, so a number held by another account may be named as such here.
     */
    @Transactional
    public PhoneNumber add(Account account, String phoneNumberId, String displayPhoneNumber, String accessToken) {
        accounts.lockForQuota(account);
        requireRoom(account);
        PhoneNumber existing = em.find(PhoneNumber.class, phoneNumberId);
        if (existing != null) {
            throw DomainException.conflict(existing.getAccountId().equals(account.getId())
                    ? "phone number " + phoneNumberId + " is already registered with this account"
                    : "phone number " + phoneNumberId + " is registered with another account; it must be released"
                    + " there first");
        }
        String sealed = accessToken == null ? null : secrets.seal(accessToken, PhoneNumber.ACCESS_TOKEN, phoneNumberId);
        PhoneNumber number = new PhoneNumber(phoneNumberId, account.getId(), displayPhoneNumber, sealed,
                clock.millis());
        em.persist(number);
        // Flush now so a concurrent claim of the same number surfaces here as a conflict.
        try {
            em.flush();
        } catch (jakarta.persistence.PersistenceException race) {
            throw DomainException.conflict("phone number " + phoneNumberId + " is already registered");
        }
        return number;
    }

    /** 429 when the account holds as many numbers as it may; exact only under {@link Accounts#lockForQuota}. */
    public void requireRoom(Account account) {
        long count = em.createQuery("SELECT COUNT(n) FROM PhoneNumber n WHERE n.accountId = :accountId", Long.class)
                .setParameter("accountId", account.getId())
                .getSingleResult();
        if (count >= numbersPerAccount) {
            throw DomainException.tooMany("too many phone numbers", List.of("numbers: at most " + numbersPerAccount
                    + " per account; release one first"));
        }
    }

    /**
     * Releases the account's number: its stored token is deleted with it, Meta's webhooks for it are no
     * longer routed to the account, and any account can register it again.
     */
    @Transactional
    public void release(Account account, String phoneNumberId) {
        em.remove(ofAccount(account, phoneNumberId));
    }

    public List<PhoneNumber> of(Account account) {
        return em.createNamedQuery(PhoneNumber.OF_ACCOUNT, PhoneNumber.class)
                .setParameter("accountId", account.getId())
                .getResultList();
    }

    public Optional<PhoneNumber> find(String phoneNumberId) {
        return Optional.ofNullable(em.find(PhoneNumber.class, phoneNumberId));
    }

    /** The number when it belongs to the account, else 404 (ids of other tenants do not leak). */
    public PhoneNumber ofAccount(Account account, String phoneNumberId) {
        if (phoneNumberId == null || !NumberRegistrations.PHONE_NUMBER_ID.matcher(phoneNumberId).matches()) {
            throw DomainException.notFound("phone number");
        }
        return find(phoneNumberId).filter(n -> n.getAccountId().equals(account.getId()))
                .orElseThrow(() -> DomainException.notFound("phone number " + phoneNumberId));
    }

    public Optional<String> accessToken(PhoneNumber number) {
        return Optional.ofNullable(number.getAccessTokenSealed())
                .map(sealed -> secrets.open(sealed, PhoneNumber.ACCESS_TOKEN, number.getPhoneNumberId()));
    }
}
