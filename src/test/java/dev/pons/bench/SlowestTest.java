package dev.pons.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The report's "slowest 1 %" line tells one stall from a slow tail; it must pick the slowest and time them right. */
class SlowestTest {

    @Test
    void theSlowestHundredthAreTimedByWhenTheyWereSent() {
        List<long[]> arrived = new ArrayList<>();
        // 1,000 deliveries sent 1 ms apart, 5 ms each, except ten sent 20 ms apart from 400 ms on, 300 ms each.
        for (int i = 0; i < 1000; i++) {
            boolean stalled = i >= 400 && i < 600 && (i - 400) % 20 == 0;
            arrived.add(new long[] {stalled ? 300_000 : 5_000, 1_700_000_000_000_000L + i * 1_000L});
        }
        Report.Run run = new Report.Run();

        ScenarioRunner.slowest(run, arrived);

        assertEquals(10, run.slowestCount);
        assertEquals(1_700_000_000_400L, run.slowestFirstSentMillis);
        assertEquals(180.0, run.slowestSentOverMs, "sent from 400 ms to 580 ms");
    }

    @Test
    void nothingArrivedLeavesItUnset() {
        Report.Run run = new Report.Run();

        ScenarioRunner.slowest(run, List.of());

        assertEquals(0, run.slowestCount);
    }
}
