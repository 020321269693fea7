package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
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
 * Instance-local by design: with N instances a target sees at most N times its slots. A rate-limited
 * target's share is also bounded by what it can start within a few seconds ({@link Pacing#heldAtMost}).
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
        CIRCUIT_OPEN,
        /** Its target's rate limit has no start slot for it within its lease: it waits in the database. */
        RATE_LIMITED;

        public boolean held() {
            return this == STARTED || this == WAITING;
        }
    }

    /** The shares, from {@code pons.delivery.*}. */
    record Limits(int slotsPerTarget, int waitingPerTarget, int perAccount, int perInstance) {
    }

    /** A lease handed to the queue here is expected back within this; after it the room is free again. */
    static final long RESERVATION_MS = 2_000;

    /** A refill waits for room for this many (or half the target's share): one transaction brings a batch. */
    static final int REFILL_AT_LEAST = 16;

    /** How much the latest answer moves a target's latency estimate, in 1/8ths. */
    private static final int LATENCY_WEIGHT = 2;

    /**
     * What a target, an account or the instance holds in memory, and what was handed to the queue for
     * it and not seen back yet: a reservation, which lapses after {@link #RESERVATION_MS} (the message
     * went to another instance, or was lost).
     */
    private static class Share {

        int held;
        int reserved;
        long reservedUntil;

        int reservedAt(long now) {
            return now < reservedUntil ? reserved : 0;
        }

        int taken(long now) {
            return held + reservedAt(now);
        }

        void reserve(int count, long now) {
            reserved = reservedAt(now) + count;
            reservedUntil = now + RESERVATION_MS;
        }

        void arrived() {
            unreserve(1);
        }

        void unreserve(int count) {
            reserved = Math.max(0, reserved - count);
        }
    }

    private static final class Lane extends Share {

        final String accountId;
        final ArrayDeque<Claim> waiting = new ArrayDeque<>();
        int inFlight;
        long latencyMs;
        int timeoutMs;
        /** At most this many held, whatever the shares allow: a rate-limited target's {@link Pacing#heldAtMost}. */
        int heldAtMost = Integer.MAX_VALUE;
        /** The database may hold due deliveries of this target that no instance holds. */
        boolean backlog;
        boolean refillAsked;

        Lane(String accountId) {
            this.accountId = accountId;
        }

        boolean slow() {
            return timeoutMs > 0 && latencyMs * 2 > timeoutMs;
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
    private final Map<String, Share> accounts = new HashMap<>();
    private final Share instance = new Share();

    protected Lanes() {
    }

    Lanes(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    @PostConstruct
    void init() {
        if (slotsPerTarget < 1 || perAccount < 1 || perInstance < 1) {
            throw new IllegalStateException("pons.delivery shares must be positive: max-in-flight-per-target "
                    + slotsPerTarget + ", max-held-per-account " + perAccount + ", max-in-flight " + perInstance);
        }
        limits = new Limits(slotsPerTarget, waitingPerTarget, perAccount, perInstance);
    }

    /**
     * Created while the application starts, on its thread. Created lazily, the first caller could be
     * the metrics endpoint scraping a gauge, on a server thread that does not see the application's
     * configuration: every share would read 0 and nothing would ever be delivered.
     */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // Touching the bean runs @PostConstruct.
    }

    /** Takes the delivery into this instance's memory, or says why it waits in the database instead. */
    public synchronized Admission admit(Claim claim) {
        Lane lane = laneOf(claim.targetId(), claim.accountId(), claim.ratePerSecond());
        lane.timeoutMs = claim.timeoutMs();
        Share account = accountOf(lane);
        lane.arrived();
        account.arrived();
        instance.arrived();
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
        account.held++;
        instance.held++;
        if (lane.inFlight < limits.slotsPerTarget() && lane.waiting.isEmpty()) {
            lane.inFlight++;
            return Admission.STARTED;
        }
        lane.waiting.add(claim);
        return Admission.WAITING;
    }

    /**
     * Why one more delivery of this lane cannot be held now, or null if it can; {@code countReserved}:
     * counting what was handed out and is still on its way, as a hand-out must.
     */
    private Admission refusal(Lane lane, long now, boolean countReserved) {
        Share account = accountOf(lane);
        if ((countReserved ? lane.taken(now) : lane.held) >= share(lane)) {
            return Admission.TARGET_FULL;
        }
        int accountTaken = countReserved ? account.taken(now) : account.held;
        if (accountTaken >= limits.perAccount()) {
            return Admission.ACCOUNT_FULL;
        }
        if ((countReserved ? instance.taken(now) : instance.held) >= limits.perInstance()
                && accountTaken >= limits.slotsPerTarget()) {
            return Admission.INSTANCE_FULL;
        }
        return null;
    }

    private int share(Lane lane) {
        return Math.min(lane.heldAtMost, limits.slotsPerTarget() + (lane.slow() ? 0 : limits.waitingPerTarget()));
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
     * the caller asks for more ({@link HandOut#refillSoon}).
     */
    public synchronized boolean done(Claim claim) {
        Lane lane = lanes.get(claim.targetId());
        if (lane == null) {
            return false;
        }
        lane.held--;
        accountOf(lane).held--;
        instance.held--;
        boolean refill = asksRefill(lane, clock.millis());
        forgetIfIdle(claim.targetId(), lane);
        return refill;
    }

    /**
     * Deliveries of the target were parked in the database by a fan-out that has now committed. A refill
     * that ran before the commit did not see them and may have said the database holds no more
     * ({@link #handedOut}); from now on it does. True when there is room for a refill now: the caller asks for one.
     */
    public synchronized boolean parked(String targetId, String accountId) {
        Lane lane = laneOf(targetId, accountId);
        lane.backlog = true;
        return asksRefill(lane, clock.millis());
    }

    /** A lane with deliveries in the database and room for a batch of them asks for a refill, once at a time. */
    private boolean asksRefill(Lane lane, long now) {
        boolean refill = lane.backlog && !lane.refillAsked
                && roomOf(lane, now) >= Math.min(REFILL_AT_LEAST, Math.max(1, share(lane) / 2));
        if (refill) {
            lane.refillAsked = true;
        }
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
     * Reserves all the room this instance has now for the target's deliveries, counting those it handed
     * to the queue and has not seen back yet, and returns how much that is. The caller hands out at most
     * that many and then says how many it took ({@link #handedOut}): reserving before the database is
     * asked keeps two hand-outs for one account (or a hand-out and a fan-out) from both counting the
     * same room.
     */
    public synchronized int reserveRoom(String targetId, String accountId, Integer ratePerSecond) {
        Lane lane = laneOf(targetId, accountId, ratePerSecond);
        long now = clock.millis();
        int room = roomOf(lane, now);
        if (room > 0) {
            lane.reserve(room, now);
            accountOf(lane).reserve(room, now);
            instance.reserve(room, now);
        }
        forgetIfIdle(targetId, lane);
        return room;
    }

    private int roomOf(Lane lane, long now) {
        if (refusal(lane, now, true) != null) {
            return 0;
        }
        Share account = accountOf(lane);
        int room = Math.min(share(lane) - lane.taken(now), limits.perAccount() - account.taken(now));
        if (account.taken(now) >= limits.slotsPerTarget()) {
            room = Math.min(room, limits.perInstance() - instance.taken(now));
        }
        return Math.max(0, room);
    }

    /**
     * Of the {@code reserved} room, {@code taken} leases of the target went to the queue; the rest is
     * free again. {@code more}: the database holds more of its due deliveries.
     */
    public synchronized void handedOut(String targetId, String accountId, int reserved, int taken, boolean more) {
        Lane lane = laneOf(targetId, accountId);
        int unused = reserved - taken;
        lane.unreserve(unused);
        accountOf(lane).unreserve(unused);
        instance.unreserve(unused);
        lane.backlog = more;
        lane.refillAsked = false;
        forgetIfIdle(targetId, lane);
    }

    /**
     * Reserves room for one new delivery about to be queued (fan-out). False: there is none, and the
     * delivery waits in the database until a refill or the sweeper hands it out.
     */
    public synchronized boolean tryReserve(String targetId, String accountId, Integer ratePerSecond) {
        Lane lane = laneOf(targetId, accountId, ratePerSecond);
        long now = clock.millis();
        if (roomOf(lane, now) == 0) {
            lane.backlog = true;
            return false;
        }
        lane.reserve(1, now);
        accountOf(lane).reserve(1, now);
        instance.reserve(1, now);
        return true;
    }

    public synchronized int held() {
        return instance.held;
    }

    /** Deliveries handed to the queue from here and not seen back yet (until their reservations lapse). */
    public synchronized int onTheirWay() {
        return instance.reservedAt(clock.millis());
    }

    private Lane laneOf(String targetId, String accountId) {
        return lanes.computeIfAbsent(targetId, id -> new Lane(accountId));
    }

    /** The target's lane, with the bound its rate limit sets as of now. */
    private Lane laneOf(String targetId, String accountId, Integer ratePerSecond) {
        Lane lane = laneOf(targetId, accountId);
        lane.heldAtMost = Pacing.heldAtMost(ratePerSecond);
        return lane;
    }

    private Share accountOf(Lane lane) {
        return accounts.computeIfAbsent(lane.accountId, id -> new Share());
    }

    /** A lane holding nothing is dropped unless it remembers something worth a refill: the map stays small. */
    private void forgetIfIdle(String targetId, Lane lane) {
        long now = clock.millis();
        if (lane.taken(now) == 0 && !lane.backlog) {
            lanes.remove(targetId);
        }
        Share account = accounts.get(lane.accountId);
        if (account != null && account.taken(now) == 0) {
            accounts.remove(lane.accountId);
        }
    }
}
