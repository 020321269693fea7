package dev.pons.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmark (src/bench/java, {@code mvn -Pbench verify}) from rotting: every scenario for a
 * couple of seconds with tiny counts against the IT server, nothing lost or duplicated, S7's FIFO target
 * in order and S8 within its rate limit.
 */
class BenchSmokeIT {

    @Test
    void everyScenarioDeliversEverythingAndReports() throws Exception {
        Path output = Path.of("target", "bench", "smoke.json");
        Report report = new ScenarioRunner(BenchConfig.smoke(output)).run();
        System.out.println(report.table());
        report.write();

        assertEquals(List.of("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9-50"), report.scenarios.stream().map(s -> s.id).toList());
        for (Report.Scenario s : report.scenarios) {
            String table = s.id + "\n" + report.table();
            assertTrue(s.service.delivered > 0, "deliveries in " + table);
            assertEquals(0, s.service.missing, "nothing missing in " + table);
            assertEquals(0, s.service.duplicatesOtherId, "no duplicate under another delivery id in " + table);
            assertEquals(0, s.service.duplicatedEvents, "no message made two events in " + table);
            assertEquals(0, s.service.lost, "the server's succeeded deliveries all seen by a receiver in " + table);
            assertEquals(0, s.service.serverFailed, "no failed delivery to a healthy target in " + table);
            assertEquals(Boolean.TRUE, s.lossless(), table);
            assertEquals(0, s.service.postErrors, "Meta POSTs all accepted in " + table);
            assertTrue(s.service.deliveriesPerSec > 0, "a throughput in " + table);
            if (!List.of("S7", "S8").contains(s.id)) {
                assertNotNull(s.raw, "a raw limit beside " + table);
                assertTrue(s.raw.deliveriesPerSec > 0, "raw throughput in " + table);
            }
            assertTrue(Report.known(s.peakRssMiB) && Report.known(s.peakHeapMiB), "RSS and heap read in " + table);
            assertTrue(s.server.get("attempts.succeeded") > 0, "server metrics read in " + table);
        }
        Report.Scenario s2 = report.scenario("S2");
        assertTrue(Report.known(s2.service.p95) && Report.known(s2.raw.p95), report.table());
        assertTrue(Report.known(report.scenario("S4").extra.get("drainDeliveriesPerSec")), report.table());
        assertTrue(report.scenario("S3").service.nonOkArrivals > 0, "the bad targets were tried in " + report.table());
        // S3's run counts tenant B only: these show tenant A's load was there beside it.
        Report.Scenario s3 = report.scenario("S3");
        assertTrue(s3.extra.get("tenantA.events") > 0, "tenant A got events in " + report.table());
        assertTrue(s3.extra.get("tenantA.deliveries.pending") > 0, "tenant A's backlog in " + report.table());
        Report.Scenario s6 = report.scenario("S6");
        assertTrue(s6.notes.stream().anyMatch(note -> note.contains("filters per event")),
                "S6 is the filtered fan-out in " + report.table());
        // S7: the FIFO target measured apart, in order; S8: the limit held, and not by starving the target.
        Report.Scenario s7 = report.scenario("S7");
        Report.Run fifo = s7.groups.get("fifo");
        assertNotNull(fifo, "S7's FIFO group in " + report.table());
        assertTrue(fifo.delivered > 0 && fifo.missing == 0, "the FIFO target got everything in " + report.table());
        assertEquals(0.0, s7.extra.get("fifo.outOfOrder"), "FIFO first arrivals in acceptance order in " + report.table());
        assertTrue(Report.known(s7.extra.get("fifo.roundTripLimitPerSec")), "the FIFO round trip in " + report.table());
        Report.Scenario s8 = report.scenario("S8");
        double limit = report.config.rateLimit();
        assertTrue(s8.extra.get("maxAttemptsInAnySlidingSecond") <= Math.floor(limit * 1.1),
                "S8 within its limit in " + report.table());
        assertTrue(s8.extra.get("attemptsPerSec") >= limit * 0.7, "S8 near its limit in " + report.table());
        assertTrue(report.checks.stream().filter(c -> c.name().startsWith("S7") || c.name().startsWith("S8"))
                .allMatch(c -> Boolean.TRUE.equals(c.passed())), report.table());
        // S9: a step at its own rate, one message per Meta POST, with its raw run.
        Report.Scenario step = report.scenario("S9-50");
        assertEquals(50.0, step.extra.get("sweep.deliveriesPerSec"), report.table());
        assertEquals(step.service.posts, step.service.events, "one message per Meta POST in " + report.table());
        assertTrue(Report.known(step.service.p95) && Report.known(step.raw.p95), report.table());
        assertTrue(Files.size(output) > 0);
        assertTrue(report.checks.size() >= 10, report.table());
    }
}
