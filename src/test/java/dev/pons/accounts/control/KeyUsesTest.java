package dev.pons.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class KeyUsesTest {

    static final long NOW = 1_700_000_000_000L;

    @Test
    void aKeyNeverUsedOrUsedOverAMinuteAgoIsRecorded() {
        assertTrue(new KeyUses().claim("key_a", null, NOW));
        assertTrue(new KeyUses().claim("key_a", NOW - 60_001, NOW));
    }

    @Test
    void aKeyUsedWithinTheLastMinuteIsNotRecordedAgain() {
        assertFalse(new KeyUses().claim("key_a", NOW - 60_000, NOW));
        assertFalse(new KeyUses().claim("key_a", NOW - 1, NOW));
    }

    @Test
    void onlyOneRequestOfAnInstanceRecordsAKeyPerMinute() {
        KeyUses uses = new KeyUses();
        assertTrue(uses.claim("key_a", null, NOW));
        // The stored value is still stale until the first write commits: the claim is what holds them back.
        assertFalse(uses.claim("key_a", null, NOW + 10));
        assertTrue(uses.claim("key_b", null, NOW + 10), "per key");
        assertFalse(uses.claim("key_a", null, NOW + 60_000));
        assertTrue(uses.claim("key_a", null, NOW + 60_001), "a minute later, again");
    }

    @Test
    void concurrentRequestsClaimOnce() throws Exception {
        KeyUses uses = new KeyUses();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> requests = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                requests.add(() -> uses.claim("key_a", null, NOW));
            }
            long won = 0;
            for (Future<Boolean> claimed : pool.invokeAll(requests)) {
                won += claimed.get() ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void forgettingClaimsStaysBounded() {
        KeyUses uses = new KeyUses();
        for (int i = 0; i < KeyUses.MAX_REMEMBERED + 5; i++) {
            assertTrue(uses.claim("key_" + i, null, NOW));
        }
        assertTrue(uses.claim("key_0", null, NOW), "forgotten after the map was cleared: one extra write at most");
    }
}
