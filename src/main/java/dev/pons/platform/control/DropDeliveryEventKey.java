package dev.pons.platform.control;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * V13: a delivery no longer carries a foreign key to its event, nor the index behind it. The delivery is
 * written in its event's transaction and events are never deleted, so the key guards nothing a running
 * server can break, and nothing reads deliveries by event; yet every delivery insert paid for the key's
 * check and the index entry. The previous release neither needs the key nor reads by event, so a rolling
 * upgrade keeps working.
 *
 * <p>Java rather than SQL because the key's name is the database's own choice (PostgreSQL
 * {@code delivery_event_id_fkey}; H2 a generated {@code CONSTRAINT_…}): it is looked up, not assumed.
 */
public class DropDeliveryEventKey implements JavaMigration {

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("13");
    }

    @Override
    public String getDescription() {
        return "drop delivery event key";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection db = context.getConnection();
        DatabaseMetaData meta = db.getMetaData();
        String quote = meta.getIdentifierQuoteString();
        try (Statement statement = db.createStatement()) {
            for (String key : keysToEvent(db, meta)) {
                statement.execute("ALTER TABLE delivery DROP CONSTRAINT " + quote + key + quote);
            }
            // On H2 the key may have owned this index and taken it along.
            statement.execute("DROP INDEX IF EXISTS delivery_event");
        }
    }

    private static List<String> keysToEvent(Connection db, DatabaseMetaData meta) throws SQLException {
        String table = meta.storesUpperCaseIdentifiers() ? "DELIVERY" : "delivery";
        List<String> keys = new ArrayList<>();
        try (ResultSet key = meta.getImportedKeys(db.getCatalog(), db.getSchema(), table)) {
            while (key.next()) {
                if ("event".equalsIgnoreCase(key.getString("PKTABLE_NAME"))
                        && "event_id".equalsIgnoreCase(key.getString("FKCOLUMN_NAME"))
                        && !keys.contains(key.getString("FK_NAME"))) {
                    keys.add(key.getString("FK_NAME"));
                }
            }
        }
        return keys;
    }
}
