package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Attempts in flight per target on this instance. A hanging target can hold at most this many
 * workers; the rest of its deliveries wait in the database instead of in threads. Instance-local
 * by design: with N instances a target sees at most N times the cap.
 */
@ApplicationScoped
public class InFlight {

    @Inject
    @ConfigProperty(name = "pons.delivery.max-in-flight-per-target")
    int maxPerTarget;

    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** Takes a slot; a target whose recent attempts all failed gets one slot, a probe, not the full cap. */
    public boolean tryAcquire(String targetId, boolean failing) {
        int cap = failing ? 1 : maxPerTarget;
        AtomicInteger count = counts.computeIfAbsent(targetId, id -> new AtomicInteger());
        while (true) {
            int current = count.get();
            if (current >= cap) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void release(String targetId) {
        AtomicInteger count = counts.get(targetId);
        if (count != null) {
            count.decrementAndGet();
        }
    }
}
