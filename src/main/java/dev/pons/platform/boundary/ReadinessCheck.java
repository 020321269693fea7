package dev.pons.platform.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import java.sql.Connection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.pons.platform.control.Queues;
import dev.pons.platform.control.SchemaMigrations;

/**
 * Ready means: the schema is migrated, the database answers and the broker answers a round trip.
 * Each part is reported on its own so an operator sees what is degraded.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    SchemaMigrations migrations;

    @Resource(lookup = "jdbc/pons")
    DataSource dataSource;

    @Resource(lookup = "jms/pons/ConnectionFactory")
    ConnectionFactory connectionFactory;

    @Resource(lookup = Queues.DEAD_LETTER)
    Queue deadLetters;

    @Resource
    ManagedExecutorService executor;

    static final long BROKER_PROBE_SECONDS = 3;

    @Override
    public HealthCheckResponse call() {
        boolean schema = schemaMigrated();
        boolean database = databaseAnswers();
        boolean broker = brokerAnswers();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("pons")
                .withData("schema", schema ? "migrated" : "pending")
                .withData("database", database ? "up" : "down")
                .withData("broker", broker ? "up" : "down");
        return (schema && database && broker ? builder.up() : builder.down()).build();
    }

    private boolean schemaMigrated() {
        try {
            return migrations.migrated();
        } catch (RuntimeException notYetStarted) {
            return false;
        }
    }

    private boolean databaseAnswers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Opens a browser on a queue: a round trip to the broker. A pooled connection alone proves nothing
     * (its metadata is cached, and a client reconnecting to a stopped broker looks alive), and a broker
     * that does not answer within a few seconds counts as down rather than stalling the probe.
     */
    private boolean brokerAnswers() {
        Future<Boolean> probe;
        try {
            probe = executor.submit(() -> {
                try (JMSContext context = connectionFactory.createContext();
                     QueueBrowser browser = context.createBrowser(deadLetters)) {
                    browser.getEnumeration();
                    return true;
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
        try {
            return probe.get(BROKER_PROBE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            probe.cancel(true);
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
