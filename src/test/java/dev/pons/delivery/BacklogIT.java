package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * A backlog many times an instance's share waits in the database: what the instance holds in memory
 * and keeps on the queue stays at its bounds however long the backlog is. The benchmark's S4 shows
 * the same at a million deliveries; this shows the shape in seconds.
 */
class BacklogIT {

    /** {@code pons.delivery.max-in-flight}: what an instance holds in memory, in all. */
    static final int INSTANCE_BOUND = 1024;

    /** {@code pons.delivery.max-held-per-account}: one account's share of it. */
    static final int ACCOUNT_SHARE = 512;

    static final int TARGETS = 10;

    static final int MESSAGES = 500;

    /** What a check sees while the backlog waits. */
    interface WhileBacklogged {
        void check() throws Exception;
    }

    @Test
    void aBacklogSeveralTimesTheBoundWaitsInTheDatabaseNotInMemory() throws Exception {
        withBacklog(() -> {
            int maxHeld = 0;
            int maxHandedOut = 0;
            for (int sample = 0; sample < 20; sample++) {
                maxHeld = Math.max(maxHeld, (int) IsolationIT.metricSum("pons_deliveries_held"));
                maxHandedOut = Math.max(maxHandedOut, (int) IsolationIT.metricSum("pons_deliveries_handed_out"));
                Thread.sleep(250);
            }
            double pending = IsolationIT.metricSum("pons_deliveries_pending");
            int held = maxHeld;
            int handedOut = maxHandedOut;
            System.out.println("BacklogIT: pending " + pending + ", at most " + held + " held and " + handedOut
                    + " handed out");
            assertAll(
                    () -> assertTrue(pending >= TARGETS * MESSAGES / 2.0,
                            "most of the " + TARGETS * MESSAGES + " deliveries still wait: " + pending),
                    () -> assertTrue(held >= ACCOUNT_SHARE / 2, "the instance took its share of them: " + held),
                    () -> assertTrue(held <= INSTANCE_BOUND, "held in memory at most the bound: " + held),
                    () -> assertTrue(handedOut <= INSTANCE_BOUND, "on the queue at most the bound: " + handedOut));
        });
    }

    /**
     * {@code TARGETS * MESSAGES} deliveries to healthy targets that answer in a second: most of them wait
     * while {@code check} runs; the targets are retired after it.
     */
    static void withBacklog(WhileBacklogged check) throws Exception {
        // Answers that take a second, well within the 10 s timeout: the targets are healthy, only busy.
        try (Receiver receiver = Receiver.answering(request -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Receiver.Answer.status(200);
        })) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < TARGETS; i++) {
                targets.add(DeliveryIT.target(account, receiver.url(), "").id());
            }
            try {
                IsolationIT.pileUpDeliveries(number, MESSAGES);
                check.check();
            } finally {
                for (String target : targets) {
                    IsolationIT.retire(account, target);
                }
            }
        }
    }
}
