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
 * lapses: attempts that come late take the next free slot instead of going off together. An attempt
 * takes a slot only if it can start in it before its lease runs short; otherwise it goes back to the
 * database unattempted and the budget is left for others, so the budget never runs far ahead of the
 * clock ({@link Lanes} holds at most {@link #HORIZON_MS} of a rate-limited target's attempts).
 */
@ApplicationScoped
public class Pacing {

    /** How much of a second one reservation covers, in microseconds: small, so another instance's share stays near. */
    static final long RESERVE_US = 100_000;

    /** How many seconds' worth of a rate-limited target's attempts an instance holds: well inside a lease. */
    static final long HORIZON_MS = 2_000;

    /** What an instance may hold of a target: {@link #HORIZON_MS} of its attempts, or no bound without a limit. */
    static int heldAtMost(Integer ratePerSecond) {
        return ratePerSecond == null ? Integer.MAX_VALUE : (int) Math.max(1, ratePerSecond * HORIZON_MS / 1_000);
    }

    @Inject
    StartSlots startSlots;

    @Inject
    Clock clock;

    /** Reserved slots per target, in microseconds since the epoch, oldest first. */
    private final ConcurrentMap<String, ArrayDeque<Long>> reserved = new ConcurrentHashMap<>();

    /**
     * The time (epoch ms) the claim's attempt may start: now, unless its target has a rate limit, then
     * its slot (which may lie up to half a spacing in the past); null when no slot is free early enough
     * for the attempt to end within the claim's lease.
     */
    public Long startAt(Claim claim) {
        Integer rate = claim.ratePerSecond();
        long now = clock.millis();
        if (rate == null) {
            return now;
        }
        long spacingUs = spacingUs(rate);
        long latestUs = micros(claim.leaseUntil() - claim.timeoutMs());
        ArrayDeque<Long> slots = reserved.computeIfAbsent(claim.targetId(), id -> new ArrayDeque<>());
        synchronized (slots) {
            Long slot = firstUsable(slots, now * 1_000, spacingUs);
            if (slot == null) {
                int count = slotsPerReservation(rate);
                Long first = startSlots.reserve(claim.targetId(), count, spacingUs, now * 1_000, latestUs);
                if (first == null) {
                    return null;
                }
                for (int i = 0; i < count; i++) {
                    slots.add(first + i * spacingUs);
                }
                slot = firstUsable(slots, clock.millis() * 1_000, spacingUs);
            }
            if (slot == null || slot > latestUs) {
                // Kept for an attempt that can wait for it.
                return null;
            }
            slots.poll();
            return ceilMillis(slot);
        }
    }

    /**
     * Whether an attempt of the slot {@code startAt} that would be signed at {@code signedAt} has missed
     * it (a busy machine ran its timer or thread late): it takes another slot instead of going off
     * together with the next ones. Judged by the very timestamp it is signed with, which is what a
     * receiver counts.
     */
    public boolean missed(Claim claim, long startAt, long signedAt) {
        Integer rate = claim.ratePerSecond();
        return rate != null && (signedAt - startAt) * 1_000 > spacingUs(rate) / 2;
    }

    /** The first slot that has not lapsed, left in place; the lapsed ones are dropped. */
    static Long firstUsable(ArrayDeque<Long> slots, long nowUs, long spacingUs) {
        while (!slots.isEmpty() && slots.peek() < nowUs - spacingUs / 2) {
            slots.poll();
        }
        return slots.peek();
    }

    static long spacingUs(int ratePerSecond) {
        return 1_000_000L / ratePerSecond;
    }

    static int slotsPerReservation(int ratePerSecond) {
        return (int) Math.max(1, ratePerSecond * RESERVE_US / 1_000_000);
    }

    private static long micros(long millis) {
        return millis > Long.MAX_VALUE / 1_000 ? Long.MAX_VALUE : millis * 1_000;
    }

    private static long ceilMillis(long micros) {
        return (micros + 999) / 1_000;
    }
}
