package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import dev.pons.delivery.entity.DeliveryStatus;

/**
 * Delivery metrics in the application scope of MicroProfile Metrics ({@code GET /metrics?scope=application}):
 * <ul>
 * <li>{@code pons.delivery.attempts{outcome=succeeded|retry_scheduled|failed}}: every attempt ends in exactly one
 * of these; {@code succeeded} and {@code failed} are also the final outcomes of deliveries;</li>
 * <li>{@code pons.delivery.deferred{reason=target_full|account_full|instance_full|circuit_open}}: deliveries
 * taken from the queue and given back to the database without an attempt, and why;</li>
 * <li>{@code pons.delivery.attempt.duration}: timer of the signed POST, send to answer (or failure);</li>
 * <li>{@code pons.deliveries.pending} and {@code pons.deliveries.due}: gauges backed by a COUNT query,
 * computed at most once a second however often they are scraped;</li>
 * <li>{@code pons.deliveries.held} and {@code pons.deliveries.handed.out}: what this instance holds in memory
 * and has on its way through the queue, both bounded by {@link Lanes} whatever waits in the database.</li>
 * </ul>
 */
@ApplicationScoped
public class DeliveryMetrics {

    private static final Logger LOG = Logger.getLogger(DeliveryMetrics.class.getName());

    static final long GAUGE_CACHE_MS = 1_000;

    /** The counts behind the gauges, and when they were taken. */
    record Counts(long pending, long due, long takenAt) {
    }

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Lanes lanes;

    private Counter succeeded;
    private Counter retryScheduled;
    private Counter failed;
    private final Map<Lanes.Admission, Counter> deferred = new EnumMap<>(Lanes.Admission.class);
    private Timer attemptDuration;
    private volatile Counts counts = new Counts(0, 0, 0);
    private boolean warned;

    @PostConstruct
    void register() {
        Metadata attempts = Metadata.builder().withName("pons.delivery.attempts")
                .withDescription("Delivery attempts by outcome: succeeded (HTTP 200), retry_scheduled (failed, another"
                        + " attempt follows), failed (failed, no attempts left: the delivery is failed)")
                .build();
        succeeded = registry.counter(attempts, new Tag("outcome", "succeeded"));
        retryScheduled = registry.counter(attempts, new Tag("outcome", "retry_scheduled"));
        failed = registry.counter(attempts, new Tag("outcome", "failed"));
        Metadata parked = Metadata.builder().withName("pons.delivery.deferred")
                .withDescription("Deliveries taken from the queue and given back to the database without an attempt:"
                        + " their target, account or this instance held its share, or the target's circuit was open")
                .build();
        for (Lanes.Admission admission : Lanes.Admission.values()) {
            if (!admission.held()) {
                deferred.put(admission, registry.counter(parked,
                        new Tag("reason", admission.name().toLowerCase(Locale.ROOT))));
            }
        }
        attemptDuration = registry.timer(Metadata.builder().withName("pons.delivery.attempt.duration")
                .withDescription("Duration of one signed POST to a target, until its answer, timeout or failure")
                .withUnit(MetricUnits.SECONDS).build());
        DeliveryMetrics self = this;
        registry.gauge(Metadata.builder().withName("pons.deliveries.pending")
                .withDescription("Deliveries not yet succeeded or failed (including those paused with their target);"
                        + " counted at most once a second").build(), self, DeliveryMetrics::pending);
        registry.gauge(Metadata.builder().withName("pons.deliveries.due")
                .withDescription("Pending deliveries whose next attempt time has come (including those paused with their"
                        + " target); counted at most once a second")
                .build(), self, DeliveryMetrics::due);
        registry.gauge(Metadata.builder().withName("pons.deliveries.held")
                .withDescription("Deliveries this instance holds in memory: waiting for a slot or in flight, until their"
                        + " outcome is recorded").build(), lanes, Lanes::held);
        registry.gauge(Metadata.builder().withName("pons.deliveries.handed.out")
                .withDescription("Deliveries this instance handed to the queue in the last seconds and has not taken back"
                        + " yet: a bound on what it keeps on the queue").build(), lanes, Lanes::onTheirWay);
    }

    /** Registers the metrics at start, so they are scraped as zero before the first delivery. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // Touching the bean runs @PostConstruct.
    }

    /** Counts one attempt: {@code nextAttemptAt} is what {@link Outcomes#recordAll} answered. */
    public void attempted(Outcome outcome, Long nextAttemptAt) {
        if (outcome.succeeded()) {
            succeeded.inc();
        } else if (nextAttemptAt != null) {
            retryScheduled.inc();
        } else {
            failed.inc();
        }
        attemptDuration.update(Duration.ofMillis(Math.max(0, outcome.latencyMs())));
    }

    /** Counts a delivery given back to the database, with the admission that refused it. */
    public void parked(Lanes.Admission why) {
        Counter counter = deferred.get(why);
        if (counter != null) {
            counter.inc();
        }
    }

    long pending() {
        return current().pending();
    }

    long due() {
        return current().due();
    }

    private Counts current() {
        Counts cached = counts;
        long now = clock.millis();
        if (now - cached.takenAt() < GAUGE_CACHE_MS) {
            return cached;
        }
        synchronized (this) {
            cached = counts;
            if (now - cached.takenAt() < GAUGE_CACHE_MS) {
                return cached;
            }
            try {
                cached = count(now);
            } catch (RuntimeException e) {
                // Database away: keep the last value, try again in a second.
                LOG.log(warned ? Level.FINE : Level.WARNING, "could not count deliveries for the gauges", e);
                warned = true;
                cached = new Counts(cached.pending(), cached.due(), now);
            }
            counts = cached;
            return cached;
        }
    }

    /**
     * Two index range scans per target on (target_id, status, next_attempt_at), the index the hand-out
     * reads: no index on status alone is kept up to date for the gauges' sake. No transaction needed for a read.
     */
    Counts count(long now) {
        Object[] row = (Object[]) em.createNativeQuery("SELECT COALESCE(SUM(pending), 0), COALESCE(SUM(due), 0) FROM"
                        + " (SELECT (SELECT COUNT(*) FROM delivery d WHERE d.target_id = t.id AND d.status = ?1) AS pending,"
                        + " (SELECT COUNT(*) FROM delivery d WHERE d.target_id = t.id AND d.status = ?1"
                        + " AND d.next_attempt_at <= ?2) AS due FROM webhook_target t) per_target")
                .setParameter(1, DeliveryStatus.PENDING.wireName())
                .setParameter(2, now)
                .getSingleResult();
        return new Counts(((Number) row[0]).longValue(), ((Number) row[1]).longValue(), now);
    }
}
