package dev.pons.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When each API key was last used, written at most once a minute per key: an API call must not cost a
 * write, and keys whose use is recorded on every call would turn a busy client's reads into writes.
 */
@ApplicationScoped
public class KeyUses {

    /** How stale a key's stored last use may get before a request records it again. */
    static final long INTERVAL_MS = 60_000;

    /** Bounds the memory of {@link #claims}; forgetting them all costs one extra write per key at most. */
    static final int MAX_REMEMBERED = 10_000;

    /**
     * The last time a request of this instance took it upon itself to record a key's use. Without it, every
     * request that arrives before the first one's write commits would see the same stale value and write
     * too, each in a transaction of its own, each holding a second database connection meanwhile.
     */
    private final ConcurrentHashMap<String, Long> claims = new ConcurrentHashMap<>();

    @PersistenceContext
    EntityManager em;

    /**
     * Whether the request that just authenticated with this key should record its use: the stored last
     * use is older than the interval (or absent), and no other request of this instance claimed it
     * within the interval.
     */
    public boolean claim(String keyId, Long lastUsedAt, long now) {
        if (!stale(lastUsedAt, now)) {
            return false;
        }
        if (claims.size() >= MAX_REMEMBERED) {
            claims.clear();
        }
        AtomicBoolean won = new AtomicBoolean();
        claims.compute(keyId, (id, claimedAt) -> {
            if (stale(claimedAt, now)) {
                won.set(true);
                return now;
            }
            return claimedAt;
        });
        return won.get();
    }

    static boolean stale(Long lastUsedAt, long now) {
        return lastUsedAt == null || lastUsedAt < now - INTERVAL_MS;
    }

    /**
     * Its own transaction: a request that is refused (and rolls back) still used the key, and the row is
     * locked only for this one statement, not for the rest of the request. The condition keeps several
     * instances from writing the same minute twice.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(String keyId, long now) {
        em.createQuery("UPDATE ApiKey k SET k.lastUsedAt = :now"
                        + " WHERE k.id = :id AND (k.lastUsedAt IS NULL OR k.lastUsedAt < :staleBefore)")
                .setParameter("now", now)
                .setParameter("id", keyId)
                .setParameter("staleBefore", now - INTERVAL_MS)
                .executeUpdate();
    }
}
