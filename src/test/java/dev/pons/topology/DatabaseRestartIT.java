package dev.pons.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL stops (a fast shutdown: sessions cut) for ~20 s under load and starts again on the same data.
 * While it is away ingest cannot store anything, so it answers 503 with a JSON error (Meta retries later);
 * readiness reports the database down and then up; every webhook answered 200 is delivered afterwards.
 */
@ExtendWith(Topology.Extension.class)
class DatabaseRestartIT {

    @Test
    void everythingAcceptedIsDeliveredAfterTheDatabaseComesBack(Topology topology) throws Exception {
        topology.ensureRunning("pons-a");
        Outage.Result result = Outage.drill(topology, topology.instance("pons-a"), "database",
                topology.database::stop, () -> {
                    topology.database.start();
                    topology.database.checkDurable();
                });
        System.out.printf("[DatabaseRestartIT] database down %d s: %d webhooks accepted in all, %d while it was down,"
                        + " %d answered 503; all delivered %.1f s after the load ended (%d deliveries, %d duplicate(s),"
                        + " same delivery id); readiness while down: %s; a 503: %s%n",
                Outage.DOWN_FOR.toSeconds(), result.accepted(), result.acceptedWhileDown(), result.unavailable(),
                result.drainSeconds(), result.deliveries(), result.duplicates(), result.readinessWhileDown(),
                result.unavailableSample());
        assertTrue(result.unavailable() > 0, "ingest answered 503 while the database was down");
        assertTrue(result.unavailableSample().contains("application/json") && result.unavailableSample().contains("\"error\""),
                "a 503 is a JSON error: " + result.unavailableSample());
    }
}
