package dev.pons.topology;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A FIFO target's line survives a broker restart. Webhooks in a known order for a target whose receiver
 * answers after 300 ms; Artemis stops for ~20 s while the line is long, webhooks keep coming (ingest needs
 * only the database; one answered 503 is sent again), then it starts again. Every message arrives, first
 * arrivals in the order Pons accepted them, never two requests at once: the line is in the database, and
 * a head whose queue message was lost goes once its lease ends.
 */
@ExtendWith(Topology.Extension.class)
class FifoBrokerRestartIT {

    static final long ANSWER_AFTER_MS = 300;

    @Test
    void theLineKeepsItsOrderThroughABrokerRestart(Topology topology) throws Exception {
        topology.ensureRunning("pons-a");
        Topology.Instance server = topology.instance("pons-a");
        try (OrderedLoad load = new OrderedLoad(server.client, new LineReceiver(ANSWER_AFTER_MS, List.of()),
                "\"ordering\":\"fifo\"")) {
            load.post(10, 0, Duration.ofSeconds(30), server.client);
            Topology.await(() -> "the line moving; " + load.arrived() + " arrived", Duration.ofSeconds(120),
                    () -> load.arrived() >= 3);
            int arrivedBefore = load.arrived();
            topology.broker.stop();
            long stoppedAt = System.currentTimeMillis();
            try {
                load.post(10, 0, Duration.ofSeconds(60), server.client);
                int arrivedWhileDown = load.arrived() - arrivedBefore;
                Thread.sleep(Math.max(0, stoppedAt + Outage.DOWN_FOR.toMillis() - System.currentTimeMillis()));
                System.out.println("[FifoBrokerRestartIT] broker down: " + arrivedWhileDown + " arrived meanwhile; "
                        + load.summary());
            } finally {
                topology.broker.start();
            }
            Topology.await("readiness UP again with the broker back", Duration.ofSeconds(90), () -> {
                Client.Reply ready = Outage.readiness(server);
                return ready != null && ready.status() == 200 && Outage.dependency(ready, "broker").equals("up");
            });
            long upAt = System.currentTimeMillis();
            load.post(10, 0, Duration.ofSeconds(30), server.client);
            load.awaitAllArrived(Duration.ofSeconds(180));
            int repeats = load.assertInOrderOneAtATime();
            System.out.printf("[FifoBrokerRestartIT] broker down %d s; all %d messages arrived in acceptance order, one"
                            + " at a time, %d repeat(s) under the same delivery id, the last %.1f s after the broker was"
                            + " back; %s%n", Outage.DOWN_FOR.toSeconds(), load.accepted().size(), repeats,
                    (load.receiver.arrivals().get(load.receiver.arrivals().size() - 1).receivedAt() - upAt) / 1000.0,
                    load.summary());
        } catch (Throwable failure) {
            System.out.println("[FifoBrokerRestartIT] failed: " + failure + "; " + topology.database.preparedSummary());
            throw failure;
        }
    }
}
