package dev.pons.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The fixed-rate loop's answer is what tells a sustained rate from one the server could not keep up with. */
class LoadGeneratorTest {

    @Test
    void aLoadWhoseLastBatchReachesPastItsEndRanItsFullLength() {
        long started = System.nanoTime();
        // 50 events at 20/s: the first batch is due again after 2.5 s, past the end.
        double ran = LoadGenerator.fixedRate(20, 0.5, () -> false, random -> 50);
        assertEquals(0.5, ran, "not 'stopped early': the batch's events take their share of the time");
        assertTrue(System.nanoTime() - started >= 500_000_000L, "the load lasts its length, as the rate is computed over it");
    }

    @Test
    void anOverloadedLoadStopsAndAnswersWhen() {
        AtomicInteger fired = new AtomicInteger();
        double ran = LoadGenerator.fixedRate(100, 30, () -> fired.get() == 3, random -> {
            fired.incrementAndGet();
            return 1;
        });
        assertEquals(3, fired.get(), "nothing is sent once the other side is behind");
        assertTrue(ran < 30, "it reports the seconds it ran: " + ran);
    }
}
