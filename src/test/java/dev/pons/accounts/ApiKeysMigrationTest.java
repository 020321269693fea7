package dev.pons.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.pons.accounts.control.ApiKeys;
import dev.pons.platform.MigrationDatabases;

/**
 * V8 moves each account's one API key into api_key: on both databases the key an account was given
 * before the migration finds the same account after it.
 */
class ApiKeysMigrationTest {

    static final String ACCOUNT = "acct_01jbz7k5q8m3n4p5r6s7t8v9w0";

    @ParameterizedTest(name = "on {0}")
    @EnumSource(MigrationDatabases.class)
    void anExistingKeyKeepsItsAccount(MigrationDatabases database) throws Exception {
        database.check(ApiKeysMigrationTest::migrate);
    }

    private static void migrate(org.flywaydb.core.api.configuration.FluentConfiguration flyway, Connection db)
            throws SQLException {
        flyway.target("7").load().migrate();
        String key = ApiKeys.generate();
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO account (id, name, api_key_hash, created_at) VALUES (?, 'Acme', ?, 1700000000000)")) {
            insert.setString(1, ACCOUNT);
            insert.setString(2, ApiKeys.hash(key));
            insert.executeUpdate();
        }

        flyway.target("latest").load().migrate();

        try (PreparedStatement query = db.prepareStatement(
                "SELECT k.id, k.account_id, k.name, k.preview, k.created_at, k.last_used_at"
                        + " FROM api_key k WHERE k.key_hash = ?")) {
            query.setString(1, ApiKeys.hash(key));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "the key moved");
                assertEquals("key_01jbz7k5q8m3n4p5r6s7t8v9w0", row.getString("id"));
                assertEquals(ACCOUNT, row.getString("account_id"));
                assertEquals(ApiKeys.FIRST_KEY_NAME, row.getString("name"));
                assertEquals("pons_…", row.getString("preview"), "only the hash was known");
                assertEquals(1_700_000_000_000L, row.getLong("created_at"));
                row.getLong("last_used_at");
                assertTrue(row.wasNull());
                assertFalse(row.next());
            }
        }
        try (ResultSet columns = db.getMetaData().getColumns(null, null, table(db, "account"), null)) {
            while (columns.next()) {
                assertFalse(columns.getString("COLUMN_NAME").equalsIgnoreCase("api_key_hash"),
                        "api_key holds the keys now");
            }
        }
    }

    private static String table(Connection db, String name) throws SQLException {
        return db.getMetaData().storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
    }
}
