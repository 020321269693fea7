package dev.pons.platform.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * Plain JDBC for the statements that run for every delivery (fan-out, take, lease, hand-out), on the persistence
 * unit's data source, enlisted in the caller's JTA transaction like the EntityManager's own statements.
 * Through Hibernate each such native query is parsed, its parameters bound through its type system and
 * its result typed by asking the driver for metadata, every time; here it is a prepared statement.
 * Nothing here flushes the persistence context: callers use it where they changed no entity whose row
 * the statement reads or writes.
 */
@ApplicationScoped
public class Sql {

    @Resource(lookup = "jdbc/pons")
    DataSource database;

    /** The first {@code columns} columns of every row {@code select} finds. */
    public List<Object[]> rows(String select, int columns, Object... parameters) {
        return run(select, Arrays.asList(parameters), read(columns));
    }

    /** As {@link #rows}, for {@code select + " (?, …)"}: the leading parameters, then the ids. */
    public List<Object[]> rowsIn(String select, int columns, List<String> ids, Object... leading) {
        List<String> values = IdList.padded(ids);
        return run(select + " " + IdList.placeholders(values.size()), withIds(values, leading), read(columns));
    }

    /** Runs {@code statement + " (?, …)"} with the leading parameters, then the ids; answers the rows it changed. */
    public int updateIn(String statement, List<String> ids, Object... leading) {
        List<String> values = IdList.padded(ids);
        return run(statement + " " + IdList.placeholders(values.size()), withIds(values, leading),
                PreparedStatement::executeUpdate);
    }

    /**
     * Runs {@code statement} once per id, in one batch, with the leading parameters and then the id;
     * answers the ids whose statement changed a row. Both drivers Pons runs on report a count per
     * statement of a batch; one that did not would make this throw rather than guess.
     */
    public List<String> updateEach(String statement, List<String> ids, Object... leading) {
        int[] counts = batch(statement, ids.stream().map(id -> withIds(List.of(id), leading).toArray()).toList());
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (counts[i] == Statement.SUCCESS_NO_INFO) {
                throw new IllegalStateException("the JDBC driver did not report which rows a batch changed");
            }
            if (counts[i] > 0) {
                changed.add(ids.get(i));
            }
        }
        return changed;
    }

    /** Runs {@code statement} once per row of parameters, in one batch; answers the driver's count per row. */
    public int[] batch(String statement, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        return run(statement, List.of(), prepared -> {
            for (Object[] row : rows) {
                bind(prepared, Arrays.asList(row));
                prepared.addBatch();
            }
            return prepared.executeBatch();
        });
    }

    private static Work<List<Object[]>> read(int columns) {
        return statement -> {
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Object[] row = new Object[columns];
                    for (int column = 0; column < columns; column++) {
                        row[column] = result.getObject(column + 1);
                    }
                    rows.add(row);
                }
            }
            return rows;
        };
    }

    private static List<Object> withIds(List<String> ids, Object... leading) {
        List<Object> parameters = new ArrayList<>(leading.length + ids.size());
        parameters.addAll(Arrays.asList(leading));
        parameters.addAll(ids);
        return parameters;
    }

    private interface Work<T> {
        T on(PreparedStatement statement) throws SQLException;
    }

    private <T> T run(String sql, List<Object> parameters, Work<T> work) {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return work.on(statement);
        } catch (SQLException e) {
            throw new PersistenceException("an SQL statement failed", e);
        }
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }
}
