package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Attempts in flight per target, and deliveries held in memory per instance. A hanging target can
 * hold at most its cap of sockets; the rest of its deliveries wait. The instance-wide cap is
 * backpressure: a worker that would exceed it waits, so the queue and the database, not the heap,
 * hold what cannot be sent yet. Instance-local by design: with N instances a target sees at most N
 * times its cap.
 */
@ApplicationScoped
public class InFlight {

    @Inject
    @ConfigProperty(name = "pons.delivery.max-in-flight-per-target")
    int maxPerTarget;

    @Inject
    @ConfigProperty(name = "pons.delivery.max-in-flight")
    int maxPerInstance;

    static final int WAITING_PER_SLOT = 32;

    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private Semaphore instance;

    @PostConstruct
    void init() {
        instance = new Semaphore(maxPerInstance);
    }

    /** How many of a healthy target's deliveries may wait in memory for its slots; more are deferred. */
    public int maxWaitingPerTarget() {
        return WAITING_PER_SLOT * maxPerTarget;
    }

    /** Admits one delivery into this instance's memory (waiting or in flight), waiting while it is full. */
    public void admit() {
        instance.acquireUninterruptibly();
    }

    public void leave() {
        instance.release();
    }

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
