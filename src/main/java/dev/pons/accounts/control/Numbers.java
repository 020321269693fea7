package dev.pons.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.accounts.entity.Account;
import dev.pons.accounts.entity.PhoneNumber;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.SealedColumn;
import dev.pons.platform.control.Secrets;

/** WhatsApp numbers: each belongs to exactly one account; its Cloud API token is stored sealed. */
@ApplicationScoped
public class Numbers {

    // Found by Reseal, which re-seals every sealed column it is given.
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

    public PhoneNumber register(Account account, String phoneNumberId, String displayPhoneNumber, String accessToken) {
        List<String> problems = new ArrayList<>();
        if (phoneNumberId == null || !phoneNumberId.matches("[0-9]{1,64}")) {
            problems.add("phoneNumberId: must be Meta's numeric phone number id");
        }
        if (displayPhoneNumber == null || !displayPhoneNumber.matches("\\+?[0-9 ()-]{3,40}")) {
            problems.add("displayPhoneNumber: must be a phone number such as +15550783881");
        }
        if (accessToken != null && (accessToken.isBlank() || accessToken.length() > 2000)) {
            problems.add("accessToken: must be a non-empty Cloud API access token of at most 2000 characters");
        }
        if (!problems.isEmpty()) {
            throw DomainException.invalid("invalid phone number", problems);
        }
        accounts.lockForQuota(account);
        long count = em.createQuery("SELECT COUNT(n) FROM PhoneNumber n WHERE n.accountId = :accountId", Long.class)
                .setParameter("accountId", account.getId())
                .getSingleResult();
        if (count >= numbersPerAccount) {
            throw DomainException.tooMany("too many phone numbers", List.of("numbers: at most " + numbersPerAccount
                    + " per account; release one first"));
        }
        if (em.find(PhoneNumber.class, phoneNumberId) != null) {
            throw DomainException.conflict("phone number " + phoneNumberId + " is already registered");
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
        return find(phoneNumberId).filter(n -> n.getAccountId().equals(account.getId()))
                .orElseThrow(() -> DomainException.notFound("phone number " + phoneNumberId));
    }

    public Optional<String> accessToken(PhoneNumber number) {
        return Optional.ofNullable(number.getAccessTokenSealed())
                .map(sealed -> secrets.open(sealed, PhoneNumber.ACCESS_TOKEN, number.getPhoneNumberId()));
    }
}
