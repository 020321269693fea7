package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.pons.targets.control.StartSlots;

/**
 * When an attempt to a rate-limited target may start. The target's budget is a sequence of start
 * slots {@code 1/rate} seconds apart, kept in the database ({@link StartSlots}): this instance reserves
 * about a tenth of a second's worth at a time and gives them out in order, so all instances together
 * start at most {@code rate} attempts in any second. A slot not taken within half a spacing after it
 * lapses: attempts that come late take the next free slot instead of going off together.
 */
@ApplicationScoped
public class Pacing {

    /** How much of a second one reservation covers, in microseconds: small, so another instance's share stays near. */
    static final long RESERVE_US = 100_000;

    @Inject
    StartSlots startSlots;

    @Inject
    Clock clock;

    /** Reserved slots per target, in microseconds since the epoch, oldest first. */
    private final ConcurrentMap<String, ArrayDeque<Long>> reserved = new ConcurrentHashMap<>();

    /** The time (epoch ms) the claim's attempt may start: now, unless its target has a rate limit. */
    public long startAt(Claim claim) {
        Integer rate = claim.ratePerSecond();
        long now = clock.millis();
        if (rate == null) {
            return now;
        }
        long spacingUs = spacingUs(rate);
        ArrayDeque<Long> slots = reserved.computeIfAbsent(claim.targetId(), id -> new ArrayDeque<>());
        synchronized (slots) {
            Long slot = next(slots, now * 1_000, spacingUs);
            if (slot == null) {
                int count = slotsPerReservation(rate);
                long first = startSlots.reserve(claim.targetId(), count, spacingUs, now * 1_000);
                for (int i = 0; i < count; i++) {
                    slots.add(first + i * spacingUs);
                }
                slot = next(slots, clock.millis() * 1_000, spacingUs);
            }
            return slot == null ? clock.millis() : Math.max(now, ceilMillis(slot));
        }
    }

    /**
     * Whether an attempt timed for {@code startAt} and started only now has missed its slot (a busy
     * machine ran its timer late): it takes another instead of going off together with the next ones.
     */
    public boolean missed(Claim claim, long startAt, long now) {
        Integer rate = claim.ratePerSecond();
        return rate != null && (now - startAt) * 1_000 > spacingUs(rate) / 2;
    }

    /** Takes the first slot that has not lapsed; the lapsed ones are dropped. */
    static Long next(ArrayDeque<Long> slots, long nowUs, long spacingUs) {
        while (!slots.isEmpty()) {
            long slot = slots.poll();
            if (slot >= nowUs - spacingUs / 2) {
                return slot;
            }
        }
        return null;
    }

    static long spacingUs(int ratePerSecond) {
        return 1_000_000L / ratePerSecond;
    }

    static int slotsPerReservation(int ratePerSecond) {
        return (int) Math.max(1, ratePerSecond * RESERVE_US / 1_000_000);
    }

    private static long ceilMillis(long micros) {
        return (micros + 999) / 1_000;
    }
}
