package dev.pons.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * One outage drill on one instance: a steady load of Meta webhooks, a dependency (database or broker) stopped
 * for a while and started again. While it is away readiness must say so, ingest may answer only 200 (stored)
 * or 503 (Meta retries later), and afterwards every webhook answered 200 reaches every target.
 */
final class Outage {

    static final int RATE = 25;
    static final int TARGETS = 3;
    static final Duration DOWN_FOR = Duration.ofSeconds(20);

    interface Step {
        void run() throws Exception;
    }

    record Result(int accepted, int acceptedWhileDown, int unavailable, int deliveries, int duplicates,
                  double drainSeconds, String readinessWhileDown, String unavailableSample) {
    }

    private Outage() {
    }

    /** {@code dependency} is the name readiness reports it under ("database" or "broker"). */
    static Result drill(Topology topology, Topology.Instance server, String dependency, Step stop, Step start)
            throws Exception {
        try (MetaLoad load = new MetaLoad(server.client, TARGETS)) {
            load.start(RATE, server.client);
            Topology.await(() -> "webhooks accepted and delivered before the outage; " + load.summary()
                    + ", deliveries " + load.deliveries(), Duration.ofSeconds(180),
                    () -> load.accepted() >= RATE && load.deliveries() >= RATE);

            stop.run();
            long stoppedAt = System.currentTimeMillis();
            int acceptedBefore = load.accepted();
            String[] readiness = new String[1];
            Topology.await("readiness reporting the " + dependency + " down", Duration.ofSeconds(30), () -> {
                Client.Reply ready = readiness(server);
                readiness[0] = ready == null ? null : ready.body();
                return ready != null && ready.status() == 503 && dependency(ready, dependency).equals("down");
            });
            Thread.sleep(Math.max(0, stoppedAt + DOWN_FOR.toMillis() - System.currentTimeMillis()));
            int acceptedWhileDown = load.accepted() - acceptedBefore;

            start.run();
            Topology.await("readiness UP again with the " + dependency + " back", Duration.ofSeconds(90), () -> {
                Client.Reply ready = readiness(server);
                return ready != null && ready.status() == 200 && dependency(ready, dependency).equals("up");
            });
            Thread.sleep(3_000);
            load.stop();
            long loadEndedAt = System.currentTimeMillis();
            System.out.println("[" + dependency + " outage] " + load.summary() + "; 503 answer: "
                    + load.sampleBodies().get(503));

            MetaLoad.Seen seen;
            try {
                seen = load.awaitAllDelivered(Duration.ofSeconds(120));
            } catch (AssertionError notAll) {
                throw new AssertionError(notAll.getMessage() + "; " + topology.database.preparedSummary(), notAll);
            }
            seen.assertClean();
            Set<Integer> statuses = load.statuses();
            statuses.removeAll(Set.of(200, 503));
            assertTrue(statuses.isEmpty(), "ingest answered only 200 (stored) or 503 (retry later), not " + statuses
                    + ": " + load.sampleBodies());
            return new Result(load.accepted(), acceptedWhileDown, load.status(503), seen.requests, seen.duplicates(),
                    Math.max(0, seen.completedAt() - loadEndedAt) / 1000.0, readiness[0], load.sampleBodies().get(503));
        }
    }

    /** The readiness answer, or null while the server does not answer at all. */
    static Client.Reply readiness(Topology.Instance server) {
        try {
            return server.client.get("/health/ready", null);
        } catch (RuntimeException noAnswer) {
            return null;
        }
    }

    static String dependency(Client.Reply readiness, String name) {
        try {
            JsonObject check = readiness.json().getJsonArray("checks").getJsonObject(0);
            assertEquals("pons", check.getString("name"));
            return check.getJsonObject("data").getString(name, "?");
        } catch (RuntimeException notJson) {
            return "?";
        }
    }
}
