package dev.pons.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import dev.pons.platform.control.SchemaMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Empty databases of both kinds Pons runs on, for tests that migrate them step by step: a test takes
 * one of these as its parameter ({@code @EnumSource(MigrationDatabases.class)}) and runs on both.
 */
public enum MigrationDatabases {

    H2 {
        @Override
        public void check(Check check) throws Exception {
            // Unnamed elsewhere, kept only while the test's own connection is open.
            String url = "jdbc:h2:mem:migration-" + UUID.randomUUID();
            try (Connection db = DriverManager.getConnection(url, "sa", "")) {
                check.on(migrations().dataSource(url, "sa", ""), db);
            }
        }
    },

    POSTGRESQL {
        @Override
        public void check(Check check) throws Exception {
            try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
                DataSource source = postgres.getPostgresDatabase();
                try (Connection db = source.getConnection()) {
                    check.on(migrations().dataSource(source), db);
                }
            }
        }
    };

    /** What a test does with Flyway, set to the database and the migrations, and a connection to it. */
    public interface Check {
        void on(FluentConfiguration flyway, Connection db) throws Exception;
    }

    /** Runs the check on a new, empty database of this kind. */
    public abstract void check(Check check) throws Exception;

    /** This build's migrations, as the server runs them. */
    public static FluentConfiguration migrations() {
        return SchemaMigrations.configuration(MigrationDatabases.class.getClassLoader());
    }

    /**
     * Account {@code acct_1}, its target {@code wht_1}, event {@code evt_1} and a pending delivery of it,
     * in columns every schema version since V8 has.
     */
    public static void seedDelivery(Connection db, String deliveryId) throws SQLException {
        update(db, "INSERT INTO account (id, name, created_at) VALUES ('acct_1', 'Acme', 1)");
        update(db, "INSERT INTO webhook_target (id, account_id, name, url, events, phone_number_ids, enabled,"
                + " max_attempts, timeout_ms, initial_backoff_ms, max_backoff_ms, secret_sealed, secret_preview,"
                + " created_at, updated_at) VALUES ('wht_1', 'acct_1', 'CRM', 'https://example.com/hook',"
                + " 'message.received', '', TRUE, 8, 2000, 1000, 60000, 'sealed', 'whsec_…', 1, 1)");
        update(db, "INSERT INTO event (id, account_id, type, source, occurred_at, created_at, dedupe_key, body)"
                + " VALUES ('evt_1', 'acct_1', 'message.received', 'meta', 1, 1, 'wamid.1', '{}')");
        update(db, "INSERT INTO delivery (id, event_id, target_id, account_id, event_type, status, max_attempts,"
                + " created_at, updated_at) VALUES ('" + deliveryId + "', 'evt_1', 'wht_1', 'acct_1',"
                + " 'message.received', 'pending', 8, 1, 1)");
    }

    public static void update(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    /** The first column of every row {@code select} finds, as text. */
    public static List<String> strings(Connection db, String select) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(select); ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rows.add(row.getString(1));
            }
        }
        return rows;
    }

    /** The tables a table's foreign keys refer to, by lower-case name, sorted. */
    public static List<String> referencedTables(Connection db, String table) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet key = db.getMetaData().getImportedKeys(db.getCatalog(), db.getSchema(), stored(db, table))) {
            while (key.next()) {
                tables.add(key.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return tables.stream().sorted().toList();
    }

    /** A table's indexes by lower-case name, each with its columns in order, comma-separated. */
    public static Map<String, String> indexes(Connection db, String table) throws SQLException {
        Map<String, String> indexes = new TreeMap<>();
        try (ResultSet index = db.getMetaData().getIndexInfo(db.getCatalog(), db.getSchema(), stored(db, table), false, false)) {
            while (index.next()) {
                if (index.getString("INDEX_NAME") != null) {
                    indexes.merge(index.getString("INDEX_NAME").toLowerCase(Locale.ROOT),
                            index.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), (a, b) -> a + "," + b);
                }
            }
        }
        return indexes;
    }

    /** A table's name as the database's metadata spells it: H2 keeps unquoted names in upper case. */
    private static String stored(Connection db, String table) throws SQLException {
        return db.getMetaData().storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
    }
}
