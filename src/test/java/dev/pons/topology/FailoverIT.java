package dev.pons.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances of the same WAR share one PostgreSQL (fsync on) and one Artemis broker: competing consumers
 * on the queues, a sweeper on each. Under a steady load of signed Meta webhooks sent to both, one instance
 * dies by kill -9. Every webhook answered 200 (by either) reaches every target through the survivor;
 * duplicates only under the same delivery id. POSTs to the dead instance fail at the connection: Meta
 * retries those, so they do not count. Then the dead instance starts again, as an operator would restart
 * it, and resolves the transactions it left prepared in PostgreSQL from its transaction log.
 */
@ExtendWith(Topology.Extension.class)
class FailoverIT {

    static final int RATE = 30;
    static final int TARGETS = 3;

    @Test
    void theSurvivorDeliversEverythingAcceptedWhenOneInstanceIsKilled(Topology topology) throws Exception {
        topology.ensureRunning("pons-a", "pons-b");
        Topology.Instance victim = topology.instance("pons-a");
        Topology.Instance survivor = topology.instance("pons-b");
        try {
            killOneUnderLoad(topology, victim, survivor);
        } catch (Throwable failure) {
            System.out.println("[FailoverIT] failed: " + failure + "; " + topology.database.preparedSummary());
            restartQuietly(victim, failure);
            throw failure;
        }
        // The dead instance comes back as in production: it resolves its in-doubt transactions from its log.
        victim.start();
        Topology.await("no prepared transaction left after " + victim.name + " recovered", Duration.ofSeconds(60),
                () -> topology.database.preparedTransactions() == 0);
    }

    private static void killOneUnderLoad(Topology topology, Topology.Instance victim, Topology.Instance survivor)
            throws Exception {
        try (MetaLoad load = new MetaLoad(survivor.client, TARGETS)) {
            load.start(RATE, victim.client, survivor.client);
            // Kill mid-load: once both instances accept and deliveries flow (a busy machine may take a while).
            Topology.await(() -> "both instances accepting webhooks and deliveries arriving; " + load.summary()
                            + ", deliveries " + load.deliveries(), Duration.ofSeconds(180),
                    () -> load.acceptedBy(victim.client) >= RATE && load.acceptedBy(survivor.client) >= RATE
                            && load.deliveries() >= RATE);
            Thread.sleep(3_000);
            victim.kill9();
            long killedAt = System.currentTimeMillis();
            int acceptedAtKill = load.accepted();
            Thread.sleep(12_000);
            load.stop();
            long loadEndedAt = System.currentTimeMillis();
            System.out.println("[FailoverIT] load: " + load.summary() + " (" + acceptedAtKill + " before the kill); "
                    + topology.database.preparedSummary());
            MetaLoad.assertAtLeast(RATE * 3, load.acceptedBy(survivor.client), "accepted by " + survivor.name);
            assertEquals(0, load.status(500), "no 500 answers: " + load.sampleBodies());

            MetaLoad.Seen seen = load.awaitAllDelivered(Duration.ofSeconds(90));
            seen.assertClean();
            System.out.printf("[FailoverIT] every accepted webhook (%d) reached all %d targets: %d deliveries, %d duplicate(s)"
                            + " (same delivery id); the survivor drained %.1f s after the kill, %.1f s after the load ended%n",
                    load.accepted(), TARGETS, seen.requests, seen.duplicates(),
                    (seen.completedAt() - killedAt) / 1000.0, Math.max(0, seen.completedAt() - loadEndedAt) / 1000.0);
        }
    }

    private static void restartQuietly(Topology.Instance instance, Throwable failure) {
        try {
            instance.start();
        } catch (Throwable alsoFailed) {
            failure.addSuppressed(alsoFailed);
        }
    }
}
