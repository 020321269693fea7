package dev.pons.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Empty databases of both kinds Pons runs on, for tests that migrate them step by step. */
public final class MigrationDatabases {

    /** What a test does with Flyway, set to the database and the migrations, and a connection to it. */
    public interface Check {
        void on(FluentConfiguration flyway, Connection db) throws Exception;
    }

    private MigrationDatabases() {
    }

    public static void onH2(String name, Check check) throws Exception {
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            check.on(Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration"), db);
        }
    }

    public static void onPostgreSql(Check check) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            DataSource source = postgres.getPostgresDatabase();
            try (Connection db = source.getConnection()) {
                check.on(Flyway.configure().dataSource(source).locations("classpath:db/migration"), db);
            }
        }
    }
}
