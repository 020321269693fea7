package dev.pons.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Artemis broker stops for ~20 s under load and starts again. Ingest keeps answering 200 for what it
 * stored or 503 (Meta retries), readiness reports the broker down and then up, and every webhook answered
 * 200 is delivered once the broker is back: the database is the source of truth, the sweepers re-drive.
 */
@ExtendWith(Topology.Extension.class)
class BrokerRestartIT {

    @Test
    void everythingAcceptedIsDeliveredAfterTheBrokerComesBack(Topology topology) throws Exception {
        topology.ensureRunning("pons-a");
        Outage.Result result = Outage.drill(topology, topology.instance("pons-a"), "broker",
                topology.broker::stop, topology.broker::start);
        System.out.printf("[BrokerRestartIT] broker down %d s: %d webhooks accepted in all, %d while it was down,"
                        + " %d answered 503; all delivered %.1f s after the load ended (%d deliveries, %d duplicate(s),"
                        + " same delivery id); readiness while down: %s%n",
                Outage.DOWN_FOR.toSeconds(), result.accepted(), result.acceptedWhileDown(), result.unavailable(),
                result.drainSeconds(), result.deliveries(), result.duplicates(), result.readinessWhileDown());
    }
}
