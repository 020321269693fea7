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
    static final int MAX_ROWS = 200_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    public List<Hour> lastDay(String targetId) {
        long now = clock.millis();
        long firstHour = (now / HOUR_MS - 23) * HOUR_MS;
        List<Object[]> rows = em.createQuery("SELECT a.startedAt, a.statusCode, a.latencyMs FROM DeliveryAttempt a,"
                        + " Delivery d WHERE d.id = a.deliveryId AND d.targetId = :targetId AND a.startedAt >= :since",
                        Object[].class)
                .setParameter("targetId", targetId)
                .setParameter("since", firstHour)
                .setMaxResults(MAX_ROWS)
                .getResultList();
        int[] succeeded = new int[24];
        int[] failed = new int[24];
        List<List<Long>> latencies = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            latencies.add(new ArrayList<>());
        }
        for (Object[] row : rows) {
            int bucket = (int) (((Long) row[0] - firstHour) / HOUR_MS);
            if (bucket < 0 || bucket > 23) {
                continue;
            }
            Integer status = (Integer) row[1];
            if (status != null && status == 200) {
                succeeded[bucket]++;
            } else {
                failed[bucket]++;
            }
            latencies.get(bucket).add((Long) row[2]);
        }
        List<Hour> hours = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            hours.add(new Hour(firstHour + i * HOUR_MS, succeeded[i], failed[i], p95(latencies.get(i))));
        }
        return hours;
    }

    static Long p95(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(0.95 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
