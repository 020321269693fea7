package dev.pons.it;

import java.util.Collection;

/** How a rate limit is judged: attempts counted by their X-Pons-Timestamp over any sliding second. */
public final class SlidingSecond {

    private SlidingSecond() {
    }

    /** The most timestamps (epoch ms) that fall in any window [t, t + 1,000 ms). */
    public static int busiest(Collection<Long> timestamps) {
        return busiest(timestamps.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    /** As {@link #busiest(Collection)}, of timestamps sorted already. */
    public static int busiest(long[] sorted) {
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.length; to++) {
            while (sorted[to] - sorted[from] >= 1_000) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }
}
