package dev.pons.delivery.control;

import static dev.pons.delivery.control.Lanes.Admission.ACCOUNT_FULL;
import static dev.pons.delivery.control.Lanes.Admission.CIRCUIT_OPEN;
import static dev.pons.delivery.control.Lanes.Admission.INSTANCE_FULL;
import static dev.pons.delivery.control.Lanes.Admission.STARTED;
import static dev.pons.delivery.control.Lanes.Admission.TARGET_FULL;
import static dev.pons.delivery.control.Lanes.Admission.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The scheduling decisions of one instance, on a hand-advanced clock. */
class LanesTest {

    final HandClock clock = new HandClock(1_700_000_000_000L);

    /** 2 slots and 3 waiting per target, 8 per account, 12 in all. */
    final Lanes lanes = new Lanes(new Lanes.Limits(2, 3, 8, 12), clock);

    private int ids;

    private Claim claim(String account, String target) {
        return claim(account, target, false, false);
    }

    private Claim claim(String account, String target, boolean circuitOpen, boolean probe) {
        return new Claim("dlv_" + ids++, clock.millis() + 20_000, 1, 1, "evt_1", "message.inbound.received", new byte[0],
                account, target, URI.create("http://127.0.0.1:1/"), 10_000, "whsec_x", null, Map.of(), 1000, 10_000,
                circuitOpen, probe, null, false, null);
    }

    @Test
    void aTargetStartsUpToItsSlotsThenLinesUpThenWaitsInTheDatabase() {
        List<Lanes.Admission> admissions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            admissions.add(lanes.admit(claim("acc_a", "whk_1")));
        }
        assertEquals(List.of(STARTED, STARTED, WAITING, WAITING, WAITING, TARGET_FULL), admissions);
        assertEquals(STARTED, lanes.admit(claim("acc_a", "whk_2")), "another target has slots of its own");
        assertEquals(6, lanes.held());
    }

    @Test
    void anAnsweredSlotGoesToTheNextWaitingInOrder() {
        Claim first = claim("acc_a", "whk_1");
        lanes.admit(first);
        lanes.admit(claim("acc_a", "whk_1"));
        Claim third = claim("acc_a", "whk_1");
        Claim fourth = claim("acc_a", "whk_1");
        assertEquals(WAITING, lanes.admit(third));
        assertEquals(WAITING, lanes.admit(fourth));
        assertEquals(Optional.of(third), lanes.answered(first, 5));
        assertEquals(Optional.of(fourth), lanes.answered(third, 5));
        assertEquals(Optional.empty(), lanes.answered(fourth, 5), "nobody waits: the slot is free");
        assertEquals(4, lanes.held(), "held until their outcomes are durable");
        lanes.done(first);
        assertEquals(3, lanes.held());
    }

    /**
     * Target whk_1's share held in full, one more delivery parked in the database by a fan-out, then two
     * done: room for a batch, so a refill is asked. Returns the five held, the first two done.
     */
    private List<Claim> fullTargetThatAsksForARefill() {
        List<Claim> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Claim claim = claim("acc_a", "whk_1");
            lanes.admit(claim);
            held.add(claim);
        }
        assertFalse(lanes.tryReserve("whk_1", "acc_a", null), "the fan-out parks its delivery in the database");
        lanes.answered(held.get(0), 5);
        lanes.done(held.get(0));
        lanes.answered(held.get(1), 5);
        assertTrue(lanes.done(held.get(1)), "room for a batch: a refill is asked");
        return held;
    }

    @Test
    void whatAFanOutParkedIsRefilledOnceItCommitsEvenIfARefillFoundNothingMeanwhile() {
        fullTargetThatAsksForARefill();
        // The refill reads the database before the fan-out has committed: nothing there yet.
        lanes.handedOut("whk_1", "acc_a", lanes.reserveRoom("whk_1", "acc_a", null), 0, false);
        assertTrue(lanes.parked("whk_1", "acc_a"), "once the fan-out commits, its parked delivery is asked for");
        assertFalse(lanes.parked("whk_1", "acc_a"), "one refill at a time");
    }

    @Test
    void aRefillThatFoundNoRoomLetsTheNextDeliveryDoneAskAgain() {
        List<Claim> held = fullTargetThatAsksForARefill();
        // Before it runs, fan-outs take the room.
        assertTrue(lanes.tryReserve("whk_1", "acc_a", null));
        assertTrue(lanes.tryReserve("whk_1", "acc_a", null));
        assertEquals(0, lanes.reserveRoom("whk_1", "acc_a", null));
        lanes.handedOut("whk_1", "acc_a", 0, 0, true);
        lanes.answered(held.get(2), 5);
        lanes.done(held.get(2));
        lanes.answered(held.get(3), 5);
        assertTrue(lanes.done(held.get(3)), "the refill that found no room does not keep the lane from asking again");
    }

    @Test
    void aSlowTargetGetsItsSlotsAndNoLine() {
        Claim first = claim("acc_a", "whk_slow");
        lanes.admit(first);
        lanes.admit(claim("acc_a", "whk_slow"));
        lanes.answered(first, 8_000);
        lanes.done(first);
        // Answers taking most of the 10 s timeout: what does not fit its slots waits in the database.
        assertEquals(STARTED, lanes.admit(claim("acc_a", "whk_slow")));
        assertEquals(TARGET_FULL, lanes.admit(claim("acc_a", "whk_slow")));
        assertEquals(0, lanes.reserveRoom("whk_slow", "acc_a", null));
    }

    @Test
    void anAccountHoldsAtMostItsShareAndOthersPass() {
        for (String target : List.of("whk_1", "whk_2")) {
            for (int i = 0; i < 4; i++) {
                assertTrue(lanes.admit(claim("acc_a", target)).held());
            }
        }
        assertEquals(ACCOUNT_FULL, lanes.admit(claim("acc_a", "whk_3")));
        assertEquals(0, lanes.reserveRoom("whk_3", "acc_a", null));
        assertEquals(STARTED, lanes.admit(claim("acc_b", "whk_9")), "another account is not held up");
    }

    @Test
    void aFullInstanceStillLetsInAnAccountHoldingLessThanOneTargetsSlots() {
        for (String account : List.of("acc_a", "acc_b", "acc_c")) {
            for (int i = 0; i < 4; i++) {
                lanes.admit(claim(account, "whk_" + account));
            }
        }
        assertEquals(12, lanes.held());
        assertEquals(STARTED, lanes.admit(claim("acc_d", "whk_d")));
        assertEquals(STARTED, lanes.admit(claim("acc_d", "whk_d")));
        assertEquals(INSTANCE_FULL, lanes.admit(claim("acc_d", "whk_d")), "holding its floor, it waits like the rest");
        assertEquals(INSTANCE_FULL, lanes.admit(claim("acc_a", "whk_other")));
    }

    @Test
    void behindAnOpenCircuitOnlyTheProbeGoes() {
        assertEquals(CIRCUIT_OPEN, lanes.admit(claim("acc_a", "whk_1", true, false)));
        assertEquals(STARTED, lanes.admit(claim("acc_a", "whk_1", true, true)));
        assertEquals(STARTED, lanes.admit(claim("acc_a", "whk_1", false, false)), "a closed circuit lets all through");
    }

    @Test
    void whenTheCircuitOpensTheLineGoesBackToTheDatabase() {
        Claim first = claim("acc_a", "whk_1");
        lanes.admit(first);
        lanes.admit(claim("acc_a", "whk_1"));
        Claim waiting = claim("acc_a", "whk_1");
        lanes.admit(waiting);
        assertEquals(List.of(waiting), lanes.circuitOpened("whk_1"));
        assertEquals(Optional.empty(), lanes.answered(first, 5));
        assertEquals(List.of(), lanes.circuitOpened("whk_unknown"));
    }

    @Test
    void roomCountsWhatWasHandedOutUntilItComesBackOrTheReservationLapses() {
        assertEquals(5, lanes.reserveRoom("whk_1", "acc_a", null));
        lanes.handedOut("whk_1", "acc_a", 5, 5, true);
        assertEquals(0, lanes.reserveRoom("whk_1", "acc_a", null), "five on their way");
        assertEquals(STARTED, lanes.admit(claim("acc_a", "whk_1")), "one of them arrives");
        assertEquals(0, lanes.reserveRoom("whk_1", "acc_a", null), "one held, four on their way");
        clock.advance(Lanes.RESERVATION_MS);
        assertEquals(4, lanes.reserveRoom("whk_1", "acc_a", null), "the others went to another instance, or were lost");
    }

    @Test
    void reservedRoomIsTheCallersAloneUntilItSaysHowMuchItTook() {
        assertEquals(5, lanes.reserveRoom("whk_1", "acc_a", null));
        assertEquals(3, lanes.reserveRoom("whk_2", "acc_a", null), "8 per account, 5 reserved for the first hand-out");
        assertEquals(0, lanes.reserveRoom("whk_3", "acc_a", null), "a third hand-out finds none");
        assertFalse(lanes.tryReserve("whk_3", "acc_a", null), "nor does a fan-out");
        lanes.handedOut("whk_1", "acc_a", 5, 2, false);
        assertEquals(3, lanes.reserveRoom("whk_3", "acc_a", null), "the database had 2 for the first: 3 are free again");
    }

    @Test
    void whatIsOnItsWayCountsAgainstTheAccountAndTheInstanceToo() {
        lanes.handedOut("whk_1", "acc_a", lanes.reserveRoom("whk_1", "acc_a", null), 5, true);
        assertEquals(3, lanes.reserveRoom("whk_2", "acc_a", null), "8 per account, 5 of them on their way");
        lanes.handedOut("whk_2", "acc_a", 3, 3, true);
        assertEquals(0, lanes.reserveRoom("whk_3", "acc_a", null));
        assertFalse(lanes.tryReserve("whk_3", "acc_a", null));
        assertEquals(5, lanes.reserveRoom("whk_9", "acc_b", null), "the instance is full, but acc_b holds less than a target's slots");
        lanes.handedOut("whk_9", "acc_b", 5, 4, false);
        assertEquals(0, lanes.reserveRoom("whk_8", "acc_b", null), "12 in all on their way: the instance is full for an account past its floor");
        assertEquals(12, lanes.onTheirWay());
    }

    @Test
    void aRateLimitedTargetHoldsNoMoreThanItCanStartWithinTwoSeconds() {
        assertEquals(2, lanes.reserveRoom("whk_r", "acc_r", 1), "1/s: two seconds' worth, though its share is 5");
        assertFalse(lanes.tryReserve("whk_r", "acc_r", 1), "a fan-out finds no room either");
        assertEquals(5, lanes.reserveRoom("whk_u", "acc_r", null), "an unlimited target of the account has its full share");
    }

    @Test
    void fanOutReservesRoomAndWhatFindsNoneWaitsForARefill() {
        for (int i = 0; i < 5; i++) {
            assertTrue(lanes.tryReserve("whk_1", "acc_a", null));
        }
        assertFalse(lanes.tryReserve("whk_1", "acc_a", null), "the target's share is on its way");
        List<Claim> arrived = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Claim claim = claim("acc_a", "whk_1");
            arrived.add(claim);
            assertTrue(lanes.admit(claim).held());
        }
        // The one left in the database is asked for once there is room for a batch (half the share), and only once.
        assertFalse(lanes.done(arrived.get(0)), "room for 1 only");
        assertTrue(lanes.done(arrived.get(1)), "room for 2: more are asked for");
        assertFalse(lanes.done(arrived.get(2)), "asked already");
        lanes.handedOut("whk_1", "acc_a", 0, 0, false);
        assertFalse(lanes.done(arrived.get(3)), "the database had no more");
        lanes.done(arrived.get(4));
        assertEquals(0, lanes.held());
    }
}
