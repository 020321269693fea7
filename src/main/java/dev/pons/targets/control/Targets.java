package dev.pons.targets.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.control.Numbers;
import dev.pons.accounts.entity.Account;
import dev.pons.accounts.entity.PhoneNumber;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Ids;
import dev.pons.platform.control.SealedColumn;
import dev.pons.platform.control.Secrets;
import dev.pons.targets.entity.WebhookTarget;

/**
 * Webhook targets of an account: validation, URL rules (HTTP targets) or granted destinations (JMS targets),
 * signing secrets and their rotation.
 */
@ApplicationScoped
public class Targets {

    private static final Logger LOG = Logger.getLogger(Targets.class.getName());

    // Reseal re-seals the columns produced as SealedColumn beans: a sealed column not produced here would keep its old key.
    @Produces
    static final SealedColumn SECRET_COLUMN = WebhookTarget.SECRET;
    @Produces
    static final SealedColumn PREVIOUS_SECRET_COLUMN = WebhookTarget.PREVIOUS_SECRET;
    @Produces
    static final SealedColumn HEADERS_COLUMN = WebhookTarget.HEADERS;

    public record WithSecret(WebhookTarget target, String signingSecret) {
    }

    static final long MAX_GRACE_MS = Duration.ofDays(7).toMillis();

    @PersistenceContext
    EntityManager em;

    @Inject
    Secrets secrets;

    @Inject
    Numbers numbers;

    @Inject
    Clock clock;

    @Inject
    Accounts accounts;

    @Inject
    Event<OrderingChanged> orderingChanged;

    @Inject
    Event<TargetDeleted> targetDeleted;

    @Inject
    JmsDestinations jmsDestinations;

    @Inject
    @ConfigProperty(name = "pons.limits.targets-per-account")
    int targetsPerAccount;

    @Inject
    @ConfigProperty(name = "pons.targets.allow-loopback")
    boolean allowLoopback;

    @Inject
    @ConfigProperty(name = "pons.targets.allow-private-networks")
    boolean allowPrivateNetworks;

    @Inject
    @ConfigProperty(name = "pons.delivery.max-attempts")
    int defaultMaxAttempts;

    @Inject
    @ConfigProperty(name = "pons.delivery.timeout-ms")
    int defaultTimeoutMs;

    @Inject
    @ConfigProperty(name = "pons.delivery.initial-backoff-ms")
    long defaultInitialBackoffMs;

    @Inject
    @ConfigProperty(name = "pons.delivery.max-backoff-ms")
    long defaultMaxBackoffMs;

    @Inject
    @ConfigProperty(name = "pons.delivery.rotation-grace")
    Duration defaultRotationGrace;

    @Inject
    @ConfigProperty(name = "pons.targets.lookup-timeout-ms")
    long lookupTimeoutMs;

    @Inject
    @ConfigProperty(name = "pons.targets.lookup-threads")
    int lookupThreads;

    /** Managed threads for the lookups: the server's default executor runs the listeners and requests that wait for them. */
    @Resource
    ManagedThreadFactory threadFactory;

    private HostLookups lookups;
    private TargetUrlPolicy urlPolicy;

    @PostConstruct
    void init() {
        lookups = new HostLookups(TargetUrlPolicy.systemResolver(), lookupThreads, Duration.ofMillis(lookupTimeoutMs),
                threadFactory);
        urlPolicy = new TargetUrlPolicy(allowLoopback, allowPrivateNetworks, lookups::lookUp);
    }

    @PreDestroy
    void close() {
        lookups.close();
    }

    public TargetUrlPolicy urlPolicy() {
        return urlPolicy;
    }

    public WithSecret create(Account account, JsonObject body) {
        TargetChanges changes = TargetChanges.read(body);
        String type = changes.type != null ? changes.type : WebhookTarget.HTTP;
        boolean jms = WebhookTarget.JMS.equals(type);
        if (body != null) {
            requirePresent(changes, body, jms ? "destination" : "url");
            requirePresent(changes, body, "events");
        }
        refuseOtherTypesField(changes, jms);
        String url = checkedUrl(changes);
        String destination = jms ? jmsDestinations.forTarget(account, changes.destination).name() : null;
        checkNumbers(account, changes);
        accounts.lockForQuota(account);
        long count = em.createQuery("SELECT COUNT(t) FROM WebhookTarget t WHERE t.accountId = :accountId", Long.class)
                .setParameter("accountId", account.getId())
                .getSingleResult();
        if (count >= targetsPerAccount) {
            throw DomainException.tooMany("too many webhook targets", List.of("webhook targets: at most "
                    + targetsPerAccount + " per account; delete one first"));
        }
        long now = clock.millis();
        WebhookTarget target = new WebhookTarget(Ids.next("whk", now), account.getId(), now);
        target.setName(changes.name != null ? changes.name : jms ? destination : url);
        target.setType(type);
        target.setUrl(url);
        target.setJmsDestination(destination);
        target.setEvents(changes.events);
        target.setPhoneNumberIds(changes.phoneNumberIds != null ? changes.phoneNumberIds : List.of());
        target.setEnabled(changes.enabled == null || changes.enabled);
        target.setMaxAttempts(changes.maxAttempts != null ? changes.maxAttempts : defaultMaxAttempts);
        target.setTimeoutMs(changes.timeoutMs != null ? changes.timeoutMs : defaultTimeoutMs);
        target.setInitialBackoffMs(changes.initialBackoffMs != null ? changes.initialBackoffMs : defaultInitialBackoffMs);
        target.setMaxBackoffMs(changes.maxBackoffMs != null ? changes.maxBackoffMs : defaultMaxBackoffMs);
        checkBackoffOrder(target.getInitialBackoffMs(), target.getMaxBackoffMs());
        String secret = SigningSecrets.generate();
        target.setSecret(secrets.seal(secret, WebhookTarget.SECRET, target.getId()), SigningSecrets.preview(secret));
        setHeaders(target, changes.headers);
        if (changes.filter != null) {
            target.setPayloadFilter(stored(changes.filter));
        }
        target.setOrdering(changes.ordering != null ? changes.ordering : WebhookTarget.UNORDERED);
        target.setRateLimitPerSecond(changes.rateLimitPerSecond);
        em.persist(target);
        return new WithSecret(target, secret);
    }

    public WebhookTarget update(Account account, String targetId, JsonObject body) {
        WebhookTarget target = find(account, targetId);
        TargetChanges changes = TargetChanges.read(body);
        if (changes.type != null && !changes.type.equals(target.getType())) {
            changes.problems.add("type: cannot be changed; create a target of the other type instead");
        }
        refuseOtherTypesField(changes, target.isJms());
        String url = changes.url != null ? checkedUrl(changes) : null;
        if (changes.url == null && !changes.problems.isEmpty()) {
            throw DomainException.invalid("invalid webhook target", changes.problems);
        }
        String destination = changes.destination != null
                ? jmsDestinations.forTarget(account, changes.destination).name() : null;
        checkNumbers(account, changes);
        long initial = changes.initialBackoffMs != null ? changes.initialBackoffMs : target.getInitialBackoffMs();
        long max = changes.maxBackoffMs != null ? changes.maxBackoffMs : target.getMaxBackoffMs();
        checkBackoffOrder(initial, max);
        if (changes.name != null) {
            target.setName(changes.name);
        }
        if (url != null) {
            target.setUrl(url);
        }
        if (destination != null) {
            target.setJmsDestination(destination);
        }
        if (changes.events != null) {
            target.setEvents(changes.events);
        }
        if (changes.phoneNumberIds != null) {
            target.setPhoneNumberIds(changes.phoneNumberIds);
        }
        if (changes.enabled != null && changes.enabled != target.isEnabled()) {
            target.setEnabled(changes.enabled);
        }
        if (changes.maxAttempts != null) {
            target.setMaxAttempts(changes.maxAttempts);
        }
        if (changes.timeoutMs != null) {
            target.setTimeoutMs(changes.timeoutMs);
        }
        target.setInitialBackoffMs(initial);
        target.setMaxBackoffMs(max);
        if (changes.headers != null) {
            setHeaders(target, changes.headers);
        }
        if (changes.filter != null) {
            target.setPayloadFilter(stored(changes.filter));
        }
        if (changes.rateLimitNamed) {
            target.setRateLimitPerSecond(changes.rateLimitPerSecond);
        }
        if (changes.ordering != null && !changes.ordering.equals(target.getOrdering())) {
            target.setOrdering(changes.ordering);
            // The deliveries waiting for it line up, or leave their line, in this transaction.
            orderingChanged.fire(new OrderingChanged(target.getId(), target.isFifo()));
        }
        target.touch(clock.millis());
        return target;
    }

    public void delete(Account account, String targetId) {
        WebhookTarget target = find(account, targetId);
        targetDeleted.fire(new TargetDeleted(target.getId()));
        em.remove(target);
    }

    public WithSecret rotateSecret(Account account, String targetId, Long gracePeriodMs) {
        WebhookTarget target = find(account, targetId);
        long grace = gracePeriodMs != null ? gracePeriodMs : defaultRotationGrace.toMillis();
        if (grace < 0 || grace > MAX_GRACE_MS) {
            throw DomainException.invalid("invalid grace period",
                    List.of("gracePeriodMs: must be between 0 and " + MAX_GRACE_MS + " (7 days)"));
        }
        long now = clock.millis();
        String secret = SigningSecrets.generate();
        target.rotateSecret(secrets.seal(secret, WebhookTarget.SECRET, target.getId()), SigningSecrets.preview(secret),
                previousSealed(target), now + grace, now);
        return new WithSecret(target, secret);
    }

    /**
     * The secret being replaced, sealed for the column it moves to (a value opens only in its own). One that
     * does not open any more cannot sign either: it is dropped rather than carried along.
     */
    private String previousSealed(WebhookTarget target) {
        try {
            return secrets.seal(secretOf(target), WebhookTarget.PREVIOUS_SECRET, target.getId());
        } catch (IllegalStateException unopenable) {
            LOG.warning(() -> "target " + target.getId() + ": its secret did not open and has no grace period: "
                    + unopenable.getMessage());
            return null;
        }
    }

    public WebhookTarget find(Account account, String targetId) {
        WebhookTarget target = em.find(WebhookTarget.class, targetId);
        if (target == null || !target.getAccountId().equals(account.getId())) {
            throw DomainException.notFound("webhook target " + targetId);
        }
        return target;
    }

    public List<WebhookTarget> list(Account account, int limitPlusOne, String cursor) {
        String jpql = "SELECT t FROM WebhookTarget t WHERE t.accountId = :accountId"
                + (cursor != null ? " AND t.id < :cursor" : "") + " ORDER BY t.id DESC";
        var query = em.createQuery(jpql, WebhookTarget.class)
                .setParameter("accountId", account.getId())
                .setMaxResults(limitPlusOne);
        if (cursor != null) {
            query.setParameter("cursor", cursor);
        }
        return query.getResultList();
    }

    /** The signing secret in clear, for the delivery worker. */
    public String secretOf(WebhookTarget target) {
        return secrets.open(target.getSecretSealed(), WebhookTarget.SECRET, target.getId());
    }

    /** The target's own headers in clear, for the delivery worker; empty for none. */
    public Map<String, String> headersOf(WebhookTarget target) {
        return target.getHeadersSealed() == null ? Map.of()
                : CustomHeaders.parse(secrets.open(target.getHeadersSealed(), WebhookTarget.HEADERS, target.getId()));
    }

    private static String stored(PayloadFilter filter) {
        return filter == PayloadFilter.MATCH_ALL ? null : filter.toString();
    }

    /** The whole map is replaced: values are never shown again, so a partial change could not be checked. */
    private void setHeaders(WebhookTarget target, Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            target.setHeaders(null, null);
        } else {
            target.setHeaders(secrets.seal(CustomHeaders.json(headers), WebhookTarget.HEADERS, target.getId()),
                    CustomHeaders.previewJson(headers));
        }
    }

    /** The previous secret while its grace period lasts. */
    public String previousSecretOf(WebhookTarget target, long now) {
        if (target.getPreviousSecretSealed() == null || target.getPreviousSecretExpiresAt() == null
                || target.getPreviousSecretExpiresAt() <= now) {
            return null;
        }
        return secrets.open(target.getPreviousSecretSealed(), WebhookTarget.PREVIOUS_SECRET, target.getId());
    }

    private String checkedUrl(TargetChanges changes) {
        String url = null;
        if (changes.url != null) {
            try {
                url = urlPolicy.check(changes.url).toString();
            } catch (DomainException refused) {
                changes.problems.addAll(refused.details());
            }
        }
        if (!changes.problems.isEmpty()) {
            throw DomainException.invalid("invalid webhook target", changes.problems);
        }
        return url;
    }

    private void checkNumbers(Account account, TargetChanges changes) {
        if (changes.phoneNumberIds == null || changes.phoneNumberIds.isEmpty()) {
            return;
        }
        // A repeated id adds nothing but length: kept once, in the order given.
        changes.phoneNumberIds = List.copyOf(new java.util.LinkedHashSet<>(changes.phoneNumberIds));
        Set<String> own = numbers.of(account).stream().map(PhoneNumber::getPhoneNumberId).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (String id : changes.phoneNumberIds) {
            if (!id.matches("[0-9]{1,64}")) {
                // Not echoed: it is no id, and may carry control characters or run long.
                String problem = "phoneNumberIds: each must be a numeric phone number id of this account";
                if (!problems.contains(problem)) {
                    problems.add(problem);
                }
            } else if (!own.contains(id)) {
                problems.add("phoneNumberIds: " + id + " is not a registered number of this account");
            }
        }
        if (!problems.isEmpty()) {
            throw DomainException.invalid("invalid webhook target", problems);
        }
    }

    private static void checkBackoffOrder(long initial, long max) {
        if (initial > max) {
            throw DomainException.invalid("invalid webhook target",
                    List.of("initialBackoffMs: must not exceed maxBackoffMs (" + max + ")"));
        }
    }

    /** An HTTP target has no destination and a JMS target no url: naming the other type's field is a mistake worth telling. */
    private static void refuseOtherTypesField(TargetChanges changes, boolean jms) {
        if (jms && changes.url != null) {
            changes.problems.add("url: a jms target has no url; it publishes to its destination");
            changes.url = null;
        }
        if (jms && changes.headers != null && !changes.headers.isEmpty()) {
            changes.problems.add("headers: a jms target has none; its messages carry the Pons* properties");
            changes.headers = null;
        }
        if (!jms && changes.destination != null) {
            changes.problems.add("destination: only a target of type jms has one; an http target has a url");
            changes.destination = null;
        }
    }

    private static void requirePresent(TargetChanges changes, JsonObject body, String field) {
        if (!body.containsKey(field) || body.isNull(field)) {
            changes.problems.add(field + ": is required");
        }
    }
}
