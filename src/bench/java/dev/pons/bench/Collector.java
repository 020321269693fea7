package dev.pons.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the receivers saw of one run (one scenario or one raw-limit run): per (message, receiver) the
 * first successful arrival, how often it came, under which delivery ids; per message the event ids
 * it was delivered under. Fed by one poller thread; the counters may be read from any thread.
 */
final class Collector {

    static final class Pair {
        long firstOkMicros = Long.MAX_VALUE;
        /** X-Pons-Timestamp of the first successful arrival: when Pons signed that attempt (epoch ms). */
        long signedAtMillis;
        int okCount;
        String firstDeliveryId;
        boolean otherDeliveryId;
        int failedArrivals;
    }

    final String prefix;
    final boolean[] counted;
    final Map<String, Pair> pairs = new HashMap<>();
    final Map<String, String> eventIds = new HashMap<>();
    final Set<String> duplicatedEvents = new HashSet<>();
    final AtomicLong delivered = new AtomicLong();
    /** First successful arrivals per receiver index (counted ones only). */
    final AtomicLongArray deliveredBy;
    /** X-Pons-Timestamp of every arrival at a counted receiver, when asked for ({@link #keepSignedAt}); else null. */
    private List<Long> signedAt;
    final AtomicLong nonOkArrivals = new AtomicLong();
    volatile long lastOkMicros;

    /**
     * @param prefix  the run's message id prefix: arrivals of other runs are ignored
     * @param counted which receiver indexes are expected to get everything (healthy ones)
     */
    Collector(String prefix, int receivers, int... counted) {
        this.prefix = prefix;
        this.counted = new boolean[receivers];
        this.deliveredBy = new AtomicLongArray(receivers);
        Arrays.stream(counted).forEach(i -> this.counted[i] = true);
    }

    static int[] range(int fromInclusive, int toExclusive) {
        return java.util.stream.IntStream.range(fromInclusive, toExclusive).toArray();
    }

    /** First successful arrivals at these receivers. */
    long deliveredTo(int[] receivers) {
        long sum = 0;
        for (int receiver : receivers) {
            sum += deliveredBy.get(receiver);
        }
        return sum;
    }

    /** From now on keeps the X-Pons-Timestamp of every arrival at a counted receiver, repeats and failures included. */
    synchronized void keepSignedAt() {
        if (signedAt == null) {
            signedAt = new ArrayList<>();
        }
    }

    /** The X-Pons-Timestamps kept, sorted; empty unless {@link #keepSignedAt} was called. */
    synchronized long[] signedAtSorted() {
        return signedAt == null ? new long[0] : signedAt.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    synchronized boolean accept(Receivers.Arrival arrival) {
        if (arrival.messageId() == null || !arrival.messageId().startsWith(prefix)) {
            return false;
        }
        boolean isCounted = arrival.port() < counted.length && counted[arrival.port()];
        if (signedAt != null && isCounted && arrival.signedAtMillis() > 0) {
            signedAt.add(arrival.signedAtMillis());
        }
        String key = arrival.messageId() + "#" + arrival.port();
        Pair pair = pairs.computeIfAbsent(key, k -> new Pair());
        if (arrival.status() != 200) {
            pair.failedArrivals++;
            nonOkArrivals.incrementAndGet();
            return true;
        }
        pair.okCount++;
        if (pair.okCount == 1) {
            pair.firstOkMicros = arrival.arrivalMicros();
            pair.signedAtMillis = arrival.signedAtMillis();
            pair.firstDeliveryId = arrival.deliveryId();
            if (isCounted) {
                delivered.incrementAndGet();
                deliveredBy.incrementAndGet(arrival.port());
            }
        } else {
            if (arrival.arrivalMicros() < pair.firstOkMicros) {
                pair.firstOkMicros = arrival.arrivalMicros();
                pair.signedAtMillis = arrival.signedAtMillis();
            }
            if (pair.firstDeliveryId != null && !pair.firstDeliveryId.equals(arrival.deliveryId())) {
                pair.otherDeliveryId = true;
            }
        }
        // Throughput is counted until the last arrival at a counted receiver: a slow one beside must not stretch it.
        if (isCounted) {
            lastOkMicros = Math.max(lastOkMicros, arrival.arrivalMicros());
        }
        if (arrival.eventId() != null) {
            String known = eventIds.putIfAbsent(arrival.messageId(), arrival.eventId());
            if (known != null && !known.equals(arrival.eventId())) {
                duplicatedEvents.add(arrival.messageId());
            }
        }
        return true;
    }
}
