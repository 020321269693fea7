package dev.pons.delivery;

import static dev.pons.platform.MigrationDatabases.indexes;
import static dev.pons.platform.MigrationDatabases.referencedTables;
import static dev.pons.platform.MigrationDatabases.strings;
import static dev.pons.platform.MigrationDatabases.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.pons.platform.MigrationDatabases;

/**
 * V14 drops {@code delivery_attempt}'s foreign key to {@code delivery}, and on H2 the index the key had of
 * its own: the attempts stay, keyed as before, one row per attempt.
 */
class AttemptDeliveryKeyMigrationTest {

    @ParameterizedTest(name = "on {0}")
    @EnumSource(MigrationDatabases.class)
    void theKeyGoesAndTheAttemptsStay(MigrationDatabases database) throws Exception {
        database.check(AttemptDeliveryKeyMigrationTest::migrate);
    }

    private static void migrate(FluentConfiguration flyway, Connection db) throws SQLException {
        flyway.target("13").load().migrate();
        MigrationDatabases.seedDelivery(db, "dlv_1");
        update(db, "INSERT INTO delivery_attempt (delivery_id, series, number, started_at, latency_ms, status_code)"
                + " VALUES ('dlv_1', 1, 1, 1700000000000, 12, 500)");
        assertEquals(List.of("delivery"), referencedTables(db, "delivery_attempt"));

        flyway.target("14").load().migrate();

        assertEquals(List.of(), referencedTables(db, "delivery_attempt"), "no key to the delivery");
        assertEquals(List.of("delivery_id,series,number"), List.copyOf(indexes(db, "delivery_attempt").values()),
                "the attempt's key, and no index beside it");
        assertEquals(List.of("dlv_1 1 1 500"), strings(db, "SELECT delivery_id || ' ' || series || ' ' || number || ' '"
                + " || status_code FROM delivery_attempt"));
        assertThrows(SQLException.class, () -> update(db, "INSERT INTO delivery_attempt (delivery_id, series, number,"
                + " started_at, latency_ms) VALUES ('dlv_1', 1, 1, 1700000004000, 5)"), "one row per attempt");
    }
}
