package dev.pons.delivery.control;

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

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Re-drives what waits in the database ({@link HandOut#sweep}) every {@code pons.delivery.sweep-interval-ms},
 * on every instance.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    HandOut handOut;

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
            handOut.sweep();
        } catch (RuntimeException e) {
            // Database or broker away: the next run tries again; nothing was taken.
            LOG.log(Level.WARNING, "delivery sweep failed: " + e);
        }
    }
}
