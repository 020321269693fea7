package dev.pons.platform.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which database failures the API blames on the request (400); the answers themselves need JAX-RS, so ITs check them. */
class ErrorMappersTest {

    static RuntimeException wrapped(SQLException sql) {
        return new IllegalStateException("flush failed", new RuntimeException("could not execute statement", sql));
    }

    @Test
    void aValueTheDatabaseRefusesIsTheCallersProblem() {
        // PostgreSQL on a NUL in text (22021) or an untranslatable character (22P05); any database on a value
        // longer than its column (22001).
        for (String state : new String[] {"22021", "22001", "22P05"}) {
            assertEquals(state, ErrorMappers.Unexpected.refusedValue(wrapped(new SQLException("refused", state))));
        }
        SQLException batch = new SQLException("batch entry 0 failed", "XX000");
        batch.setNextException(new SQLException("invalid byte sequence", "22021"));
        assertEquals("22021", ErrorMappers.Unexpected.refusedValue(wrapped(batch)));
    }

    @Test
    void otherDatabaseFailuresAreNot() {
        assertNull(ErrorMappers.Unexpected.refusedValue(wrapped(new SQLException("gone", "08006"))));
        assertEquals("database", ErrorMappers.Unexpected.unavailableDependency(wrapped(new SQLException("gone", "08006"))));
        assertNull(ErrorMappers.Unexpected.refusedValue(wrapped(new SQLException("duplicate", "23505"))));
        assertNull(ErrorMappers.Unexpected.refusedValue(new IllegalStateException("no database involved")));
    }
}
