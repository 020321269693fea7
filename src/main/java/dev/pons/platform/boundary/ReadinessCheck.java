package dev.pons.platform.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import java.sql.Connection;
import javax.sql.DataSource;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.pons.platform.control.SchemaMigrations;

/**
 * Ready means: the schema is migrated, the database answers and the broker accepts a connection.
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

    private boolean brokerAnswers() {
        try (JMSContext context = connectionFactory.createContext()) {
            return context.getMetaData() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
