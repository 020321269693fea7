package dev.pons.targets.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;

import dev.pons.accounts.entity.Account;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Ids;
import dev.pons.targets.entity.JmsGrant;

/**
 * The JMS destinations JMS targets may publish to: those the operator configured, as
 * {@code pons.jms-targets.<name>.connection-factory} and {@code .queue} or {@code .topic} (JNDI names of
 * resources in the server configuration), and which of them each account was granted. A tenant only ever
 * names a granted destination; the JNDI names stay the operator's.
 */
@ApplicationScoped
public class JmsDestinations {

    private static final Logger LOG = Logger.getLogger(JmsDestinations.class.getName());

    static final String PREFIX = "pons.jms-targets.";
    /** No dots: the name is one segment of the property names. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final Pattern KEY = Pattern.compile(Pattern.quote(PREFIX) + "([^.]+)\\.(connection-factory|queue|topic)");
    /**
     * The same keys as environment variables (PONS_JMS_TARGETS_ORDERS_QUEUE): the name is read in lower case, which
     * MicroProfile Config maps back to the variable when the value is looked up.
     */
    private static final Pattern ENVIRONMENT_KEY = Pattern.compile("PONS_JMS_TARGETS_([A-Z0-9_]+?)_(CONNECTION_FACTORY|QUEUE|TOPIC)");

    @PersistenceContext
    EntityManager em;

    @Inject
    Config config;

    @Inject
    Clock clock;

    private Map<String, JmsDestination> configured = Map.of();

    @PostConstruct
    void init() {
        configured = read(config);
        if (!configured.isEmpty()) {
            LOG.info(() -> "JMS target destinations configured: " + String.join(", ", configured.keySet()));
        }
    }

    /** The complete, valid entries among the configuration's {@code pons.jms-targets.*} keys; the others are logged and left out. */
    static Map<String, JmsDestination> read(Config config) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : config.getPropertyNames()) {
            Matcher matcher = KEY.matcher(key);
            if (matcher.matches()) {
                names.add(matcher.group(1));
            }
            Matcher environment = ENVIRONMENT_KEY.matcher(key);
            if (environment.matches()) {
                names.add(environment.group(1).toLowerCase(Locale.ROOT));
            }
        }
        Map<String, JmsDestination> found = new TreeMap<>();
        for (String name : names) {
            Optional<String> factory = value(config, name, "connection-factory");
            Optional<String> queue = value(config, name, "queue");
            Optional<String> topic = value(config, name, "topic");
            String problem = !NAME.matcher(name).matches() ? "the name must be 1 to 100 letters, digits, '_' or '-'"
                    : factory.isEmpty() ? "connection-factory is missing"
                    : queue.isPresent() == topic.isPresent() ? "it needs exactly one of queue and topic"
                    : null;
            if (problem != null) {
                LOG.warning(() -> PREFIX + name + ".*: " + problem + "; the destination is left out");
                continue;
            }
            found.put(name, new JmsDestination(name, factory.get(), queue.orElseGet(topic::get), topic.isPresent()));
        }
        return Collections.unmodifiableMap(found);
    }

    private static Optional<String> value(Config config, String name, String part) {
        return config.getOptionalValue(PREFIX + name + "." + part, String.class).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** The configured destination of that name, granted or not. */
    public Optional<JmsDestination> configured(String name) {
        return Optional.ofNullable(configured.get(name));
    }

    public List<JmsGrant> grantsOf(Account account) {
        return em.createNamedQuery(JmsGrant.OF_ACCOUNT, JmsGrant.class)
                .setParameter("accountId", account.getId())
                .getResultList();
    }

    /** Grants a configured destination to the account (the operator's call); granting it again changes nothing. */
    public Granted grant(Account account, String name) {
        if (name == null || configured(name).isEmpty()) {
            throw DomainException.invalid("unknown JMS destination", List.of("name: must be a destination configured as "
                    + PREFIX + "<name>.* on the server" + (configured.isEmpty() ? " (none is)" : ": "
                    + String.join(", ", new TreeSet<>(configured.keySet())))));
        }
        Optional<JmsGrant> existing = grant(account.getId(), name);
        if (existing.isPresent()) {
            return new Granted(existing.get(), false);
        }
        long now = clock.millis();
        JmsGrant grant = new JmsGrant(Ids.next("jgr", now), account.getId(), name, now);
        em.persist(grant);
        return new Granted(grant, true);
    }

    public record Granted(JmsGrant grant, boolean created) {
    }

    /** Takes the grant back: the account's targets naming it fail their deliveries from then on. */
    public void revoke(Account account, String name) {
        JmsGrant grant = grant(account.getId(), name)
                .orElseThrow(() -> DomainException.notFound("JMS destination " + name));
        em.remove(grant);
    }

    /**
     * The destination a target of the account may name: granted to it and configured. One granted only to
     * other accounts answers 404, as if it did not exist; any other name 400.
     */
    public JmsDestination forTarget(Account account, String name) {
        if (grant(account.getId(), name).isEmpty()) {
            boolean elsewhere = !em.createNamedQuery(JmsGrant.BY_NAME, JmsGrant.class)
                    .setParameter("name", name).setMaxResults(1).getResultList().isEmpty();
            if (elsewhere) {
                throw DomainException.notFound("JMS destination " + name);
            }
            throw DomainException.invalid("invalid webhook target",
                    List.of("destination: " + name + " is not a JMS destination granted to this account"));
        }
        return configured(name).orElseThrow(() -> DomainException.invalid("invalid webhook target",
                List.of("destination: " + name + " is not configured on the server any more")));
    }

    /** For the delivery worker: the destination a JMS target publishes to, or why it cannot (as an attempt's error). */
    public JmsDestination forDelivery(String accountId, String name) {
        if (grant(accountId, name).isEmpty()) {
            throw new IllegalStateException("the JMS destination " + name + " is not granted to this account");
        }
        return configured(name).orElseThrow(
                () -> new IllegalStateException("the JMS destination " + name + " is not configured on this server"));
    }

    private Optional<JmsGrant> grant(String accountId, String name) {
        return em.createNamedQuery(JmsGrant.OF_ACCOUNT, JmsGrant.class)
                .setParameter("accountId", accountId)
                .getResultStream()
                .filter(grant -> grant.getName().equals(name))
                .findFirst();
    }
}
