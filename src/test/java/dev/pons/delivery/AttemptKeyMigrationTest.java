package dev.pons.delivery;

import static dev.pons.platform.MigrationDatabases.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.pons.platform.MigrationDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * V12 keys delivery_attempt by (delivery, series, number): on both databases the attempts recorded
 * before it keep every field, the previous release's insert (which still names an id) keeps working,
 * this release's (which does not) works, a second row for one attempt is refused, and the table keeps
 * one index per purpose instead of a key nobody reads.
 */
class AttemptKeyMigrationTest {

    static final String DELIVERY = "dlv_01jbz7k5q8m3n4p5r6s7t8v9w0";

    @ParameterizedTest(name = "on {0}")
    @EnumSource(MigrationDatabases.class)
    void attemptsKeepTheirFieldsAndBothReleasesCanRecord(MigrationDatabases database) throws Exception {
        database.check(AttemptKeyMigrationTest::migrate);
    }

    private static void migrate(FluentConfiguration flyway, Connection db) throws SQLException {
        flyway.target("11").load().migrate();
        int before = indexes(db).size();
        MigrationDatabases.seedDelivery(db, DELIVERY);
        update(db, "INSERT INTO delivery_attempt (id, delivery_id, series, number, started_at, latency_ms, status_code,"
                + " error, response_snippet) VALUES ('att_1', '" + DELIVERY + "', 1, 1, 1700000000000, 2000, NULL,"
                + " 'timed out after 2000 ms', NULL)");

        flyway.target("12").load().migrate();

        assertEquals(List.of("1 1 1700000000000 2000 null timed out after 2000 ms null"), attempts(db),
                "the attempt recorded before the migration, whole");
        update(db, "INSERT INTO delivery_attempt (id, delivery_id, series, number, started_at, latency_ms, status_code,"
                + " error, response_snippet) VALUES ('att_2', '" + DELIVERY + "', 1, 2, 1700000004000, 12, 500,"
                + " 'HTTP 500', 'oops')");
        update(db, "INSERT INTO delivery_attempt (delivery_id, series, number, started_at, latency_ms, status_code,"
                + " error, response_snippet) VALUES ('" + DELIVERY + "', 1, 3, 1700000020000, 9, 200, NULL, 'ok')");
        assertEquals(List.of("1 1 1700000000000 2000 null timed out after 2000 ms null",
                "1 2 1700000004000 12 500 HTTP 500 oops", "1 3 1700000020000 9 200 null ok"), attempts(db));
        assertThrows(SQLException.class, () -> update(db, "INSERT INTO delivery_attempt (delivery_id, series, number,"
                + " started_at, latency_ms) VALUES ('" + DELIVERY + "', 1, 3, 1700000030000, 5)"),
                "one row per attempt");
        assertThrows(SQLException.class, () -> update(db, "INSERT INTO delivery_attempt (delivery_id, series, number,"
                + " started_at, latency_ms) VALUES ('dlv_nobody', 1, 1, 1700000030000, 5)"),
                "an attempt of a delivery that does not exist");
        assertEquals(before - 1, indexes(db).size(), "the id's own index is gone: " + indexes(db));

        update(db, "DELETE FROM webhook_target WHERE id = 'wht_1'");
        assertEquals(List.of(), attempts(db), "deleting a target still takes its deliveries' attempts along");
    }

    /**
     * The previous release, still running beside the first instance of this one, records an attempt while
     * V12 runs: its insert waits for the migration's commit and lands in the new table, even as a statement
     * the driver has prepared on the server against the old one. PostgreSQL only: the embedded H2 has one
     * instance, which migrates before it takes traffic.
     */
    @Test
    void anOldInstancesAttemptWaitsForTheCopyAndLandsInTheNewTable() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            DataSource source = postgres.getPostgresDatabase();
            MigrationDatabases.migrations().dataSource(source).target("11").load().migrate();
            ExecutorService oldInstance = Executors.newSingleThreadExecutor();
            try (Connection old = source.getConnection(); Connection migrating = source.getConnection();
                 PreparedStatement record = old.prepareStatement("INSERT INTO delivery_attempt (id, delivery_id,"
                         + " series, number, started_at, latency_ms, status_code, error, response_snippet)"
                         + " VALUES (?, ?, 1, ?, 1700000000000, 5, 200, NULL, 'ok')")) {
                MigrationDatabases.seedDelivery(old, DELIVERY);
                // More executions than the driver's prepareThreshold (5): the statement is prepared on the server.
                for (int number = 1; number <= 6; number++) {
                    recordAttempt(record, number);
                }

                // From its first statement on: an attempt that got in while the rows were being copied would be
                // left in the table that is then dropped.
                migrating.setAutoCommit(false);
                List<String> script = statements("db/migration/V12__attempt_key.sql");
                update(migrating, script.get(0));
                Future<?> waiting = oldInstance.submit(() -> {
                    recordAttempt(record, 7);
                    return null;
                });
                assertThrows(TimeoutException.class, () -> waiting.get(1, TimeUnit.SECONDS),
                        "the old instance's attempt waits for the migration");
                for (String statement : script.subList(1, script.size())) {
                    update(migrating, statement);
                }
                migrating.commit();
                waiting.get(30, TimeUnit.SECONDS);

                assertEquals(7, attempts(old).size(), "every attempt, in the new table: " + attempts(old));
                assertEquals(Set.of("delivery_attempt_key"), indexes(old));
            } finally {
                oldInstance.shutdownNow();
            }
        }
    }

    private static void recordAttempt(PreparedStatement record, int number) throws SQLException {
        record.setString(1, "att_" + number);
        record.setString(2, DELIVERY);
        record.setInt(3, number);
        record.executeUpdate();
    }

    /** A migration script's statements, as Flyway runs them: comments dropped, split at semicolons. */
    private static List<String> statements(String resource) throws IOException {
        try (InputStream in = AttemptKeyMigrationTest.class.getClassLoader().getResourceAsStream(resource)) {
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return Arrays.stream(script.split(";")).map(String::strip).filter(sql -> !sql.isEmpty()).toList();
        }
    }

    private static List<String> attempts(Connection db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("SELECT series, number, started_at, latency_ms, status_code,"
                + " error, response_snippet FROM delivery_attempt ORDER BY series, number");
             ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rows.add(row.getInt(1) + " " + row.getInt(2) + " " + row.getLong(3) + " " + row.getLong(4) + " "
                        + row.getObject(5) + " " + row.getString(6) + " " + row.getString(7));
            }
        }
        return rows;
    }

    private static Set<String> indexes(Connection db) throws SQLException {
        return MigrationDatabases.indexes(db, "delivery_attempt").keySet();
    }
}
