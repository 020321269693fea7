package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Re-drives what is due from the database: retries whose time came, ids lost with a crash or a
 * broker outage, leases of instances that died. Runs on every instance; the conditional update in {@link Deliveries#sweep()} keeps them from queuing the
 * same delivery twice.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class.getName());

    static final int MAX_ROUNDS = 4;

    static final long HOLD_AT_MOST_MS = 10_000;

    private long lastDeliverySweep;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Deliveries deliveries;

    @Inject
    DeliveryQueue queue;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "pons.delivery.sweep-interval-ms")
    long intervalMs;

    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        task = scheduler.scheduleWithFixedDelay(this::sweep, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    void sweep() {
        try {
            // A full batch means more is due; a bound per run, and a pause while the queue is backed up,
            // keep a huge backlog from flooding the queue. The pause is bounded: a queue that stays backed
            // up, or a clock ahead of the other instances', must not stop retries for good.
            long now = clock.millis();
            if (!queue.backedUp(now) || now - lastDeliverySweep >= HOLD_AT_MOST_MS) {
                lastDeliverySweep = now;
                for (int round = 0; round < MAX_ROUNDS; round++) {
                    if (deliveries.sweep() < deliveries.sweepBatch() || queue.backedUp(clock.millis())) {
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            // Database or broker away: the next run tries again; nothing was taken.
            LOG.log(Level.WARNING, "delivery sweep failed: " + e);
        }
    }
}
