package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This instance's share of delivery work, per target, per account and in all: which deliveries it
 * holds in memory (taken, waiting for a slot or in flight, until their outcome is durable) and which
 * it leaves waiting in the database. Every decision is immediate and returned as an {@link Admission}:
 * nothing here blocks, so a target or tenant that is slow, hanging or refusing costs only its own
 * share, and the listeners stay free for everybody else's deliveries.
 *
 * <p>Shares: a target has {@code slots} attempts in flight and a line of waiting deliveries behind
 * them; a slow target (answers taking over half its timeout) has no line, so its deliveries wait in
 * the database until a slot frees. An account holds at most {@code perAccount}, the instance at most
 * {@code perInstance}, except that an account holding less than one target's slots is always let in.
 * Instance-local by design: with N instances a target sees at most N times its slots.
 */
@ApplicationScoped
public class Lanes {

    /** What became of a delivery offered to this instance. */
    public enum Admission {
        /** A slot was free: the caller POSTs it now. */
        STARTED,
        /** Lined up behind its target's attempts in flight: it starts when one of them is answered. */
        WAITING,
        /** Its target holds its share already: it waits in the database. */
        TARGET_FULL,
        /** Its account holds its share already: it waits in the database. */
        ACCOUNT_FULL,
        /** This instance holds all it may: it waits in the database. */
        INSTANCE_FULL,
        /** Its target's circuit is open and it is not the probe: it waits in the database. */
        CIRCUIT_OPEN;

        public boolean held() {
            return this == STARTED || this == WAITING;
        }
    }

    /** The shares, from {@code pons.delivery.*}. */
    record Limits(int slotsPerTarget, int waitingPerTarget, int perAccount, int perInstance) {
    }

    /** A lease handed to the queue here is expected back within this; after it the room is free again. */
    static final long RESERVATION_MS = 2_000;

    /** How much the latest answer moves a target's latency estimate, in 1/8ths. */
    private static final int LATENCY_WEIGHT = 2;

    private static final class Lane {

        final String accountId;
        final ArrayDeque<Claim> waiting = new ArrayDeque<>();
        int inFlight;
        int held;
        int reserved;
        long reservedUntil;
        long latencyMs;
        int timeoutMs;
        /** The database may hold due deliveries of this target that no instance holds. */
        boolean backlog;
        boolean refillAsked;

        Lane(String accountId) {
            this.accountId = accountId;
        }

        boolean slow() {
            return timeoutMs > 0 && latencyMs * 2 > timeoutMs;
        }

        int reservedAt(long now) {
            return now < reservedUntil ? reserved : 0;
        }
    }

    @Inject
    @ConfigProperty(name = "pons.delivery.max-in-flight-per-target")
    int slotsPerTarget;

    @Inject
    @ConfigProperty(name = "pons.delivery.max-waiting-per-target")
    int waitingPerTarget;

    @Inject
    @ConfigProperty(name = "pons.delivery.max-held-per-account")
    int perAccount;

    @Inject
    @ConfigProperty(name = "pons.delivery.max-in-flight")
    int perInstance;

    @Inject
    Clock clock;

    private Limits limits;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<String, Integer> heldPerAccount = new HashMap<>();
    private int heldInInstance;

    protected Lanes() {
    }

    Lanes(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    @PostConstruct
    void init() {
        limits = new Limits(slotsPerTarget, waitingPerTarget, perAccount, perInstance);
    }

    /** Takes the delivery into this instance's memory, or says why it waits in the database instead. */
    public synchronized Admission admit(Claim claim) {
        Lane lane = laneOf(claim.targetId(), claim.accountId());
        lane.timeoutMs = claim.timeoutMs();
        if (lane.reserved > 0) {
            lane.reserved--;
        }
        if (claim.behindOpenCircuit()) {
            return Admission.CIRCUIT_OPEN;
        }
        Admission refused = refusal(lane, clock.millis(), false);
        if (refused != null) {
            lane.backlog = true;
            forgetIfIdle(claim.targetId(), lane);
            return refused;
        }
        lane.held++;
        heldPerAccount.merge(lane.accountId, 1, Integer::sum);
        heldInInstance++;
        if (lane.inFlight < limits.slotsPerTarget() && lane.waiting.isEmpty()) {
            lane.inFlight++;
            return Admission.STARTED;
        }
        lane.waiting.add(claim);
        return Admission.WAITING;
    }

    /** Why one more delivery of this lane cannot be held now, or null if it can. */
    private Admission refusal(Lane lane, long now, boolean countReserved) {
        int reserved = countReserved ? lane.reservedAt(now) : 0;
        if (lane.held + reserved >= share(lane)) {
            return Admission.TARGET_FULL;
        }
        int account = heldPerAccount.getOrDefault(lane.accountId, 0);
        if (account >= limits.perAccount()) {
            return Admission.ACCOUNT_FULL;
        }
        if (heldInInstance >= limits.perInstance() && account >= limits.slotsPerTarget()) {
            return Admission.INSTANCE_FULL;
        }
        return null;
    }

    private int share(Lane lane) {
        return limits.slotsPerTarget() + (lane.slow() ? 0 : limits.waitingPerTarget());
    }

    /**
     * An attempt was answered after {@code latencyMs} (negative: it was not made): its slot goes to the target's next waiting delivery, if any, which the
     * caller starts. The delivery itself stays held until {@link #done}.
     */
    public synchronized Optional<Claim> answered(Claim claim, long latencyMs) {
        Lane lane = lanes.get(claim.targetId());
        if (lane == null) {
            return Optional.empty();
        }
        if (latencyMs >= 0) {
            lane.latencyMs = lane.latencyMs == 0 ? latencyMs
                    : lane.latencyMs + (latencyMs - lane.latencyMs) * LATENCY_WEIGHT / 8;
        }
        Claim next = lane.waiting.poll();
        if (next == null) {
            lane.inFlight--;
        }
        return Optional.ofNullable(next);
    }

    /**
     * A held delivery leaves this instance's memory: its outcome is durable, or it goes back to the
     * database unattempted. True when the target has deliveries waiting there and room for them here:
     * the caller asks for more ({@link HandOut#refill}).
     */
    public synchronized boolean done(Claim claim) {
        Lane lane = lanes.get(claim.targetId());
        if (lane == null) {
            return false;
        }
        lane.held--;
        heldPerAccount.computeIfPresent(lane.accountId, (account, held) -> held > 1 ? held - 1 : null);
        heldInInstance--;
        long now = clock.millis();
        boolean refill = lane.backlog && !lane.refillAsked && (lane.held + lane.reservedAt(now)) * 2 <= share(lane)
                && refusal(lane, now, true) == null;
        if (refill) {
            lane.refillAsked = true;
        }
        forgetIfIdle(claim.targetId(), lane);
        return refill;
    }

    /** The target's circuit opened: its waiting deliveries go back to the database (the caller releases them). */
    public synchronized List<Claim> circuitOpened(String targetId) {
        Lane lane = lanes.get(targetId);
        if (lane == null) {
            return List.of();
        }
        List<Claim> back = new ArrayList<>(lane.waiting);
        lane.waiting.clear();
        return back;
    }

    /**
     * How many more of the target's deliveries this instance would hold now, counting those it handed
     * to the queue and has not seen back yet.
     */
    public synchronized int room(String targetId, String accountId) {
        Lane lane = laneOf(targetId, accountId);
        int room = roomOf(lane, clock.millis());
        forgetIfIdle(targetId, lane);
        return room;
    }

    private int roomOf(Lane lane, long now) {
        if (refusal(lane, now, true) != null) {
            return 0;
        }
        int account = heldPerAccount.getOrDefault(lane.accountId, 0);
        int room = Math.min(share(lane) - lane.held - lane.reservedAt(now), limits.perAccount() - account);
        if (account >= limits.slotsPerTarget()) {
            room = Math.min(room, limits.perInstance() - heldInInstance);
        }
        return Math.max(0, room);
    }

    /** {@code count} leases of the target were handed to the queue from here; {@code more}: the database holds more. */
    public synchronized void handedOut(String targetId, String accountId, int count, boolean more) {
        Lane lane = laneOf(targetId, accountId);
        long now = clock.millis();
        lane.reserved = lane.reservedAt(now) + count;
        lane.reservedUntil = now + RESERVATION_MS;
        lane.backlog = more;
        lane.refillAsked = false;
        forgetIfIdle(targetId, lane);
    }

    /**
     * Reserves room for one new delivery about to be queued (fan-out). False: there is none, and the
     * delivery waits in the database until a refill or the sweeper hands it out.
     */
    public synchronized boolean tryReserve(String targetId, String accountId) {
        Lane lane = laneOf(targetId, accountId);
        long now = clock.millis();
        if (roomOf(lane, now) == 0) {
            lane.backlog = true;
            return false;
        }
        lane.reserved = lane.reservedAt(now) + 1;
        lane.reservedUntil = now + RESERVATION_MS;
        return true;
    }

    public synchronized int held() {
        return heldInInstance;
    }

    private Lane laneOf(String targetId, String accountId) {
        return lanes.computeIfAbsent(targetId, id -> new Lane(accountId));
    }

    /** A lane holding nothing is dropped unless it remembers something worth a refill: the map stays small. */
    private void forgetIfIdle(String targetId, Lane lane) {
        if (lane.held == 0 && lane.reservedAt(clock.millis()) == 0 && !lane.backlog) {
            lanes.remove(targetId);
        }
    }
}
