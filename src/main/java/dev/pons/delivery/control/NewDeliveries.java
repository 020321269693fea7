package dev.pons.delivery.control;

import jakarta.transaction.Synchronization;
import java.util.ArrayList;
import java.util.List;

import dev.pons.delivery.entity.Delivery;
import dev.pons.platform.control.Sql;

/**
 * The deliveries a transaction creates, inserted in one JDBC batch just before it commits. An ingest
 * transaction creates hundreds: as entities each would sit in the persistence context and be checked for
 * changes at the flush, and a batch per event would cost PostgreSQL a round trip per event. Nothing in the
 * transaction reads them back before it commits.
 */
final class NewDeliveries implements Synchronization {

    private static final String INSERT = "INSERT INTO delivery (id, event_id, target_id, account_id, event_type,"
            + " status, series, attempt_count, max_attempts, next_attempt_at, leased_until, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Sql sql;
    private final List<Object[]> rows = new ArrayList<>();

    NewDeliveries(Sql sql) {
        this.sql = sql;
    }

    void add(Delivery d) {
        rows.add(new Object[] {d.getId(), d.getEventId(), d.getTargetId(), d.getAccountId(), d.getEventType(),
                d.getStatus().wireName(), d.getSeries(), d.getAttemptCount(), d.getMaxAttempts(), d.getNextAttemptAt(),
                d.getLeasedUntil(), d.getCreatedAt(), d.getUpdatedAt()});
    }

    @Override
    public void beforeCompletion() {
        sql.batch(INSERT, rows);
    }

    @Override
    public void afterCompletion(int status) {
    }
}
