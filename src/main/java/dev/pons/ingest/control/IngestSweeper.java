package dev.pons.ingest.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-drives Meta webhooks that were stored but never turned into events (their queue message was lost
 * with a crash or a broker outage). Runs on every instance; processing an entry twice makes nothing
 * twice, events being unique by dedupe key.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class IngestSweeper {

    private static final Logger LOG = Logger.getLogger(IngestSweeper.class.getName());

    /** Entries are due only {@link MetaWebhooks#REDRIVE_AFTER_MS} after they arrived: a second's step is fine. */
    static final long INTERVAL_MS = 1_000;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    MetaWebhooks webhooks;

    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        task = scheduler.scheduleWithFixedDelay(this::sweep, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void sweep() {
        try {
            webhooks.sweep();
        } catch (RuntimeException e) {
            // Database or broker away: the next run tries again; nothing was taken.
            LOG.log(Level.WARNING, "ingest sweep failed: " + e);
        }
    }
}
