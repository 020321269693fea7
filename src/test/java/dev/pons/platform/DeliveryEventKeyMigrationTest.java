package dev.pons.platform;

import static dev.pons.platform.MigrationDatabases.indexes;
import static dev.pons.platform.MigrationDatabases.referencedTables;
import static dev.pons.platform.MigrationDatabases.strings;
import static dev.pons.platform.MigrationDatabases.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V13 drops {@code delivery}'s foreign key to {@code event} and the index behind it, whatever name each
 * database gave the key, and leaves the other keys of the table as they were.
 */
class DeliveryEventKeyMigrationTest {

    @ParameterizedTest(name = "on {0}")
    @EnumSource(MigrationDatabases.class)
    void theKeyAndItsIndexGo(MigrationDatabases database) throws Exception {
        database.check(DeliveryEventKeyMigrationTest::migrate);
    }

    private static void migrate(FluentConfiguration flyway, Connection db) throws SQLException {
        flyway.target("12").load().migrate();
        MigrationDatabases.seedDelivery(db, "dlv_1");
        assertEquals(List.of("event", "webhook_target"), referencedTables(db, "delivery"));
        assertTrue(indexes(db, "delivery").containsValue("event_id"), "before: " + indexes(db, "delivery"));

        flyway.target("13").load().migrate();

        assertEquals(List.of("webhook_target"), referencedTables(db, "delivery"), "only the target's key is left");
        assertFalse(indexes(db, "delivery").containsValue("event_id"), "no index by event: " + indexes(db, "delivery"));
        assertTrue(indexes(db, "delivery").containsValue("target_id,id"), "the others stay: " + indexes(db, "delivery"));
        assertEquals(List.of("13"), versionsAbove12(db));
        assertEquals(List.of("dlv_1 evt_1"), deliveries(db));

        update(db, "INSERT INTO delivery (id, event_id, target_id, account_id, event_type, status, max_attempts,"
                + " created_at, updated_at) VALUES ('dlv_2', 'evt_1', 'wht_1', 'acct_1', 'message.received',"
                + " 'pending', 8, 2, 2)");
        assertThrows(SQLException.class, () -> update(db, "INSERT INTO delivery (id, event_id, target_id,"
                + " account_id, event_type, status, max_attempts, created_at, updated_at) VALUES ('dlv_3', 'evt_1',"
                + " 'wht_nobody', 'acct_1', 'message.received', 'pending', 8, 3, 3)"), "a target must exist");
        update(db, "DELETE FROM webhook_target WHERE id = 'wht_1'");
        assertEquals(List.of(), deliveries(db), "deleting a target still takes its deliveries along");
    }

    private static List<String> versionsAbove12(Connection db) throws SQLException {
        return strings(db, "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"installed_rank\" > 12"
                + " AND \"success\" = TRUE ORDER BY \"installed_rank\"");
    }

    private static List<String> deliveries(Connection db) throws SQLException {
        return strings(db, "SELECT id || ' ' || event_id FROM delivery ORDER BY id");
    }
}
