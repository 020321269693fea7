package dev.pons.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark, run by {@code mvn -Pbench verify}: Failsafe runs this class (and only this one)
 * against the Open Liberty server the build starts in the embedded default (with {@code prod-topology}:
 * on PostgreSQL and Artemis). Prints the table and
 * writes {@code target/bench/bench.json}. It measures; it fails only on
 * {@code -Dbench.failOnTargets=true} when a target is missed.
 */
class PonsBench {

    @Test
    void run() throws Exception {
        BenchConfig config = BenchConfig.fromSystemProperties();
        Report report = new ScenarioRunner(config).run();
        System.out.println(report.table());
        Path file = report.write();
        System.out.println("JSON report: " + file.toAbsolutePath());
        if (Boolean.getBoolean("bench.failOnTargets")) {
            assertTrue(report.checks.stream().noneMatch(c -> Boolean.FALSE.equals(c.passed())), report.table());
        }
    }

    /**
     * The same from a shell, against a server that is already running ({@code -Dpons.it.baseUrl=...}, with its
     * operator token and metrics credentials: {@code -Dpons.it.adminToken}, {@code -Dpons.it.metricsUrl}, ...).
     */
    public static void main(String[] args) throws Exception {
        new PonsBench().run();
        System.exit(0);
    }
}
