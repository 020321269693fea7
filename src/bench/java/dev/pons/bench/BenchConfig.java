package dev.pons.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The benchmark's knobs, each a system property ({@code mvn -Pbench verify -Dbench.seconds=60}).
 *
 * @param seconds          load phase of each scenario ({@code bench.seconds}, default 20)
 * @param rawSeconds       load phase of each raw-limit run ({@code bench.raw.seconds}, default half of seconds, at least 3)
 * @param rate             fixed rate of scenarios 2 and 3 (in 3, for each tenant), events/s ({@code bench.rate}, 200)
 * @param targets          targets of scenarios 1–4 and 7 ({@code bench.targets}, 10)
 * @param slowTargets      scenario 3's slow targets of the tenant beside the measured one ({@code bench.slow.targets}, 2)
 * @param slowMs           how long those take to answer 200 ({@code bench.slow.ms}, 1,600): most of their timeout,
 *                         which is 1.25 times this
 * @param fanout           targets of scenarios 5 and 6 ({@code bench.fanout}, 50)
 * @param backlog          deliveries piled up in scenario 4 ({@code bench.backlog}, 20,000; the figure is 100,000)
 * @param minBatch         fewest messages per Meta POST ({@code bench.batch=1-50})
 * @param maxBatch         most messages per Meta POST
 * @param ingestThreads    concurrent Meta POSTs in the closed-loop scenarios ({@code bench.ingest.threads}, 4)
 * @param rawThreads       concurrent POSTs of the raw-limit closed loop ({@code bench.raw.threads}, 32: as many as the
 *                         server's delivery listeners)
 * @param window           most deliveries outstanding (sent to Pons, not yet at a receiver) in the closed-loop scenarios
 *                         ({@code bench.window}, 1,000): keeps "as fast as it takes them" from becoming a backlog test
 * @param drainSeconds     how long to wait, after the load, for what is still on its way ({@code bench.drain.seconds}, 60;
 *                         twice that for scenario 4's drain); what has not arrived by then is reported late, with
 *                         what the server holds of it
 * @param overloadSeconds  a fixed-rate scenario stops feeding once more than this many seconds of its offered deliveries
 *                         are outstanding ({@code bench.overload.seconds}, 2): the rate is not sustained, and a
 *                         backlog left behind would skew the scenarios after it
 * @param warmupSeconds    an unreported closed-loop run first, so a freshly started server is not measured while
 *                         it still runs interpreted or compiles ({@code bench.warmup.seconds}, 30; 0 for none)
 * @param warmupMaxSeconds after those, the warm-up goes on in rounds while the server's JIT compiler threads used more
 *                         than a tenth of a core in the last one, up to this in all ({@code bench.warmup.max.seconds}, 300)
 * @param rateLimit        scenario 8's target's {@code rateLimitPerSecond} ({@code bench.rate.limit}, 100)
 * @param sweep            scenario 9's steps, deliveries/s to {@code targets} targets with one message per Meta POST
 *                         ({@code bench.sweep=200,500,1000,2000}); each step runs {@code seconds}
 * @param scenarios        which to run ({@code bench.scenarios=1,2,3,4,5,6,7,8,9})
 * @param output           the JSON report ({@code bench.output}, target/bench/bench.json)
 */
public record BenchConfig(double seconds, double rawSeconds, double rate, int targets, int slowTargets, int slowMs,
                          int fanout, int backlog, int minBatch, int maxBatch, int ingestThreads, int rawThreads,
                          int window, double drainSeconds, double overloadSeconds, double warmupSeconds,
                          double warmupMaxSeconds,
                          int rateLimit, List<Integer> sweep, Set<Integer> scenarios, Path output) {

    public static BenchConfig fromSystemProperties() {
        double seconds = dbl("bench.seconds", 20);
        String[] batch = System.getProperty("bench.batch", "1-50").split("-");
        return new BenchConfig(seconds,
                dbl("bench.raw.seconds", Math.max(3, seconds / 2)),
                dbl("bench.rate", 200),
                integer("bench.targets", 10),
                integer("bench.slow.targets", 2),
                integer("bench.slow.ms", 1_600),
                integer("bench.fanout", 50),
                integer("bench.backlog", 20_000),
                Integer.parseInt(batch[0].strip()),
                Integer.parseInt(batch[batch.length - 1].strip()),
                integer("bench.ingest.threads", 4),
                integer("bench.raw.threads", 32),
                integer("bench.window", 1_000),
                dbl("bench.drain.seconds", 60),
                dbl("bench.overload.seconds", 2),
                dbl("bench.warmup.seconds", 30),
                dbl("bench.warmup.max.seconds", 300),
                integer("bench.rate.limit", 100),
                List.copyOf(scenarios(System.getProperty("bench.sweep", "200,500,1000,2000"))),
                scenarios(System.getProperty("bench.scenarios", "1,2,3,4,5,6,7,8,9")),
                Path.of(System.getProperty("bench.output", "target/bench/bench.json")));
    }

    /** A few seconds per scenario with tiny counts: the smoke run inside {@code mvn verify}. */
    public static BenchConfig smoke(Path output) {
        return new BenchConfig(1.5, 1, 20, 10, 2, 1_600, 12, 300, 1, 5, 2, 8, 400, 20, 10, 0, 0, 50, List.of(50),
                scenarios("1,2,3,4,5,6,7,8,9"), output);
    }

    private static Set<Integer> scenarios(String list) {
        Set<Integer> set = new TreeSet<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                set.add(Integer.parseInt(s.strip()));
            }
        }
        return set;
    }

    private static double dbl(String name, double fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : Double.parseDouble(value);
    }

    private static int integer(String name, int fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.replace("_", ""));
    }
}
