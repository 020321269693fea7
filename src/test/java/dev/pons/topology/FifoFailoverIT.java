package dev.pons.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A FIFO target's line survives a kill -9 of the instance attempting its head. Both instances take
 * webhooks in a known order for a target whose receiver answers after 300 ms, so the head is in flight
 * most of the time; the instance whose connection the receiver is holding dies by kill -9; webhooks go on
 * to the survivor. Every message arrives, first arrivals in the order Pons accepted them, never two
 * requests at once: the head the dead instance was sending comes again from the survivor once its lease
 * ends (same delivery id), and only then does the line move on.
 */
@ExtendWith(Topology.Extension.class)
class FifoFailoverIT {

    static final long ANSWER_AFTER_MS = 300;

    @Test
    void theSurvivorKeepsTheLineInOrderOneAtATime(Topology topology) throws Exception {
        topology.ensureRunning("pons-a", "pons-b");
        Topology.Instance a = topology.instance("pons-a");
        Topology.Instance b = topology.instance("pons-b");
        Topology.Instance victim = null;
        try (OrderedLoad load = new OrderedLoad(a.client, new LineReceiver(ANSWER_AFTER_MS, List.of(a, b)),
                "\"ordering\":\"fifo\"")) {
            load.post(12, 0, Duration.ofSeconds(30), a.client, b.client);
            // Kill whichever instance is sending the head right now, once the line has moved a few times.
            String[] sender = new String[1];
            Topology.await(() -> "the line moving and a head in flight from a known instance; " + load.arrived()
                    + " arrived, in flight from " + load.receiver.sendersInFlight(), Duration.ofSeconds(120), () -> {
                        List<String> inFlight = load.receiver.sendersInFlight();
                        sender[0] = inFlight.isEmpty() ? null : inFlight.get(0);
                        return load.arrived() >= 4 && sender[0] != null && !sender[0].equals("?");
                    });
            victim = topology.instance(sender[0]);
            Topology.Instance survivor = victim == a ? b : a;
            int arrivedAtKill = load.arrived();
            victim.kill9();
            long killedAt = System.currentTimeMillis();
            load.post(12, 0, Duration.ofSeconds(60), victim.client, survivor.client);
            load.awaitAllArrived(Duration.ofSeconds(180));
            int repeats = load.assertInOrderOneAtATime();
            System.out.printf("[FifoFailoverIT] killed %s while it sent the head (%d of %d messages had arrived);"
                            + " all %d arrived in acceptance order, one at a time, %d repeat(s) under the same delivery"
                            + " id, the last %.1f s after the kill; requests by instance %s; %s%n",
                    victim.name, arrivedAtKill, load.accepted().size(), load.accepted().size(), repeats,
                    (load.receiver.arrivals().get(load.receiver.arrivals().size() - 1).receivedAt() - killedAt) / 1000.0,
                    load.senders(), load.summary());
            assertTrue(load.senders().getOrDefault(survivor.name, 0) > 0, "the survivor sent: " + load.senders());
        } catch (Throwable failure) {
            System.out.println("[FifoFailoverIT] failed: " + failure + "; " + topology.database.preparedSummary());
            throw failure;
        } finally {
            if (victim != null) {
                // Back as in production: it resolves the transactions it left prepared from its log.
                victim.start();
            }
        }
        Topology.await("no prepared transaction left after the killed instance recovered", Duration.ofSeconds(60),
                () -> topology.database.preparedTransactions() == 0);
    }
}
