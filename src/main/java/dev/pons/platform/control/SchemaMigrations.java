package dev.pons.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.util.logging.Logger;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema to the version this build expects before anything else touches the database.
 * The scripts in {@code db/migration} are plain SQL that runs unchanged on H2 and PostgreSQL; where
 * the two databases differ (a constraint's generated name), a Java migration registered here looks it
 * up. Hibernate never generates DDL (a test validates the entities against the migrated schema).
 * Several instances may start at once: Flyway serialises them with a database lock.
 * {@code db/migration/flyway.location} and {@code db/callback/flyway.location} are empty marker
 * files: on Liberty Flyway finds a classpath folder only through a file in it.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    @Resource(lookup = "jdbc/pons")
    DataSource dataSource;

    private volatile boolean migrated;

    @PostConstruct
    void migrate() {
        MigrateResult result = configuration(getClass().getClassLoader()).dataSource(dataSource).load().migrate();
        LOG.info(() -> "database schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migrations applied now)");
        migrated = true;
    }

    /** Every migration of this build, for a data source still to be set. */
    public static FluentConfiguration configuration(ClassLoader classes) {
        return Flyway.configure(classes)
                .locations("classpath:db/migration")
                // A build whose scripts cannot be found must not start on an empty schema.
                .failOnMissingLocations(true)
                // Listed, not scanned for: class scanning inside an application server is not to be trusted.
                .javaMigrations(new DropDeliveryEventKey());
    }

    public boolean migrated() {
        return migrated;
    }
}
