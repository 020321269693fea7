package dev.pons.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pons.it.SlidingSecond;

/**
 * A target's rate limit holds for the cluster, not per instance. Both instances take webhooks for a
 * target with {@code rateLimitPerSecond} 20, much faster than that, so both fan out and both attempt a
 * backlog of a few hundred deliveries. From the X-Pons-Timestamp of every request the receiver got: no
 * sliding second holds more than the limit plus its 10 % tolerance, and the rate over the whole drain is
 * at least 70 % of the limit (paced, not starved). Both instances sent some of them.
 */
@ExtendWith(Topology.Extension.class)
class ClusterRateLimitIT {

    static final int LIMIT = 20;
    static final int WEBHOOKS = 30;
    static final int MESSAGES_EACH = 10;

    @Test
    void twoInstancesTogetherKeepToTheLimit(Topology topology) throws Exception {
        topology.ensureRunning("pons-a", "pons-b");
        Topology.Instance a = topology.instance("pons-a");
        Topology.Instance b = topology.instance("pons-b");
        try (OrderedLoad load = new OrderedLoad(a.client, new LineReceiver(0, List.of(a, b)),
                "\"rateLimitPerSecond\":" + LIMIT)) {
            long postedFrom = System.currentTimeMillis();
            load.post(WEBHOOKS, MESSAGES_EACH, Duration.ofSeconds(30), a.client, b.client);
            long postedFor = System.currentTimeMillis() - postedFrom;
            int arrivedWhilePosting = load.arrived();
            try {
                load.awaitAllArrived(Duration.ofSeconds(WEBHOOKS * MESSAGES_EACH / LIMIT * 3L + 60));
            } catch (AssertionError late) {
                throw new AssertionError(late.getMessage() + "; " + budget(topology, load.targetId) + "; attempts per"
                        + " second of X-Pons-Timestamp: " + perSecond(load.receiver.arrivals()), late);
            }

            List<LineReceiver.Arrival> arrivals = load.receiver.arrivals();
            long[] signedAt = arrivals.stream().mapToLong(LineReceiver.Arrival::signedAt).sorted().toArray();
            int busiest = SlidingSecond.busiest(signedAt);
            double seconds = (signedAt[signedAt.length - 1] - signedAt[0]) / 1000.0;
            double rate = (signedAt.length - 1) / seconds;
            Map<String, Integer> senders = load.senders();
            System.out.printf("[ClusterRateLimitIT] %d deliveries accepted in %.1f s (%d arrived meanwhile), %d attempts"
                            + " in %.1f s: %.1f/s, at most %d in any sliding second (limit %d); by instance %s; %s%n",
                    load.accepted().size(), postedFor / 1000.0, arrivedWhilePosting, signedAt.length, seconds, rate,
                    busiest, LIMIT, senders, load.summary());

            Set<String> deliveryIds = new HashSet<>();
            arrivals.forEach(arrival -> {
                assertTrue(arrival.signatureOk(), "signature verifies: " + arrival);
                deliveryIds.add(arrival.deliveryId());
            });
            assertEquals(load.accepted().size(), deliveryIds.size(), "one delivery per accepted message");
            assertEquals(Set.copyOf(load.accepted()), load.firstArrivals().keySet(), "every accepted message arrived");
            assertTrue(arrivedWhilePosting < load.accepted().size() / 2, "a backlog built up: " + arrivedWhilePosting
                    + " of " + load.accepted().size() + " had arrived when the last webhook was accepted");
            assertTrue(busiest <= LIMIT * 11 / 10, "at most " + LIMIT * 11 / 10 + " attempts in any sliding second: "
                    + busiest);
            assertTrue(rate >= LIMIT * 0.7, "at least 70 % of the limit over the drain: " + rate + "/s");
            assertTrue(senders.getOrDefault(a.name, 0) > 0 && senders.getOrDefault(b.name, 0) > 0,
                    "both instances attempted: " + senders);
        }
    }

    /** How far the target's start-slot budget (webhook_target.rate_next_slot_us) is ahead of the clock. */
    static String budget(Topology topology, String targetId) {
        try (Connection db = topology.database.connect();
             PreparedStatement query = db.prepareStatement("SELECT rate_next_slot_us FROM webhook_target WHERE id = ?")) {
            query.setString(1, targetId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return "its start-slot budget is " + (row.getLong(1) / 1000 - System.currentTimeMillis()) / 1000.0
                        + " s ahead of the clock";
            }
        } catch (SQLException e) {
            return "its start-slot budget not readable: " + e;
        }
    }

    /** Requests per second of X-Pons-Timestamp, from the first one's second on. */
    static Map<Long, Integer> perSecond(List<LineReceiver.Arrival> arrivals) {
        long first = arrivals.stream().mapToLong(LineReceiver.Arrival::signedAt).min().orElse(0) / 1000;
        Map<Long, Integer> counts = new TreeMap<>();
        arrivals.forEach(a -> counts.merge(a.signedAt() / 1000 - first, 1, Integer::sum));
        return counts;
    }
}
