package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The last 24 hours of a target's attempts, by hour: outcomes and p95 latency (the dashboard's chart). */
@ApplicationScoped
public class Stats {

    public record Hour(long start, int succeeded, int failed, Long p95LatencyMs) {
    }

    static final long HOUR_MS = 3_600_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    /**
     * Counted and ranked by the database, one row per hour that had attempts: a busy target's day is
     * aggregates, never its attempts in memory. The p95 is the nearest-rank one (the smallest latency
     * with 95 % of the hour's attempts at or below it). An attempt succeeded as {@link Outcome#succeeded} says:
     * HTTP 200, or for a JMS send, which has no status, no error.
     */
    @SuppressWarnings("unchecked")
    public List<Hour> lastDay(String targetId) {
        long now = clock.millis();
        long firstHour = (now / HOUR_MS - 23) * HOUR_MS;
        List<Object[]> rows = em.createNativeQuery("SELECT bucket, SUM(ok), SUM(1 - ok),"
                        + " PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY latency_ms)"
                        + " FROM (SELECT (a.started_at - ?1) / " + HOUR_MS + " AS bucket,"
                        + " CASE WHEN a.status_code = 200 OR (a.status_code IS NULL AND a.error IS NULL)"
                        + " THEN 1 ELSE 0 END AS ok, a.latency_ms"
                        + " FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id"
                        + " WHERE d.target_id = ?2 AND a.started_at >= ?1) attempts GROUP BY bucket")
                .setParameter(1, firstHour)
                .setParameter(2, targetId)
                .getResultList();
        int[] succeeded = new int[24];
        int[] failed = new int[24];
        Long[] p95 = new Long[24];
        for (Object[] row : rows) {
            int bucket = ((Number) row[0]).intValue();
            if (bucket < 0 || bucket > 23) {
                continue;
            }
            succeeded[bucket] = ((Number) row[1]).intValue();
            failed[bucket] = ((Number) row[2]).intValue();
            p95[bucket] = row[3] == null ? null : ((Number) row[3]).longValue();
        }
        List<Hour> hours = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            hours.add(new Hour(firstHour + i * HOUR_MS, succeeded[i], failed[i], p95[i]));
        }
        return hours;
    }
}
