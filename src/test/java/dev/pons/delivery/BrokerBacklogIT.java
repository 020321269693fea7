package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.pons.it.ArtemisManagement;

/**
 * The broker's side of {@link BacklogIT}: while a backlog several times an instance's bound waits, the
 * delivery queue itself (as the external Artemis broker counts it) holds at most the bound. Runs only
 * under -Pprod-topology (the default build excludes it): the embedded engine has no client to ask.
 */
class BrokerBacklogIT {

    static final String URL = ArtemisManagement.URL;

    /** {@code pons.delivery.leases-per-message}. */
    static final int LEASES_PER_MESSAGE = 20;

    @Test
    void theDeliveryQueueHoldsAtMostTheBoundWhileTheDatabaseHoldsTheRest() throws Exception {
        assertFalse(URL.isBlank(), "pons.it.artemisUrl names the external broker (set by -Pprod-topology)");
        BacklogIT.withBacklog(() -> {
            long deepest = 0;
            for (int sample = 0; sample < 20; sample++) {
                deepest = Math.max(deepest, messageCount("PonsDeliveryQueue"));
                Thread.sleep(250);
            }
            double pending = IsolationIT.metricSum("pons_deliveries_pending");
            long depth = deepest;
            System.out.println("BrokerBacklogIT: pending " + pending + ", at most " + depth + " messages queued");
            assertAll(
                    () -> assertTrue(pending >= BacklogIT.TARGETS * BacklogIT.MESSAGES / 2.0,
                            "most deliveries wait in the database: " + pending),
                    // A message carries up to LEASES_PER_MESSAGE leases; all 5,000 queued would be 250 messages.
                    () -> assertTrue(depth * LEASES_PER_MESSAGE <= BacklogIT.INSTANCE_BOUND,
                            "messages on the delivery queue: " + depth));
        });
    }

    private static long messageCount(String queue) throws Exception {
        return ((Number) ArtemisManagement.attribute("queue." + queue, "messageCount")).longValue();
    }
}
