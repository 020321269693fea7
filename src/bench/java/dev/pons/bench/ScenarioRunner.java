package dev.pons.bench;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import dev.pons.it.Api;
import dev.pons.it.SlidingSecond;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * Runs the benchmark's scenarios against a running Pons server and its raw limit beside each:
 * <ol>
 * <li>max sustained throughput, all targets healthy (closed loop, bounded outstanding deliveries);</li>
 * <li>a fixed event rate: latency Meta POST → receiver;</li>
 * <li>tenant isolation: the same for one account while another gets as many events for a hanging target, one
 * answering 500 and slow ones: the first account's latency;</li>
 * <li>backlog drain: receivers down while deliveries pile up, then up: drain rate, heap and RSS;</li>
 * <li>fan-out: every event to many targets (closed loop, one event per Meta POST);</li>
 * <li>as 5, each target with a payload filter;</li>
 * <li>a FIFO target beside unordered ones;</li>
 * <li>a rate-limited target's backlog;</li>
 * <li>the latency curve: rising fixed rates, one message per Meta POST, up to the highest sustained.</li>
 * </ol>
 * Each run gets its own account, number and targets and its own message id prefix, so runs never
 * count each other's arrivals; a scenario's targets are disabled when it ends.
 */
public final class ScenarioRunner {

    static final List<String> EVENTS = List.of("message.inbound.received", "message.status.updated");

    private final BenchConfig config;
    private final String baseUrl;
    private final ServerProbe probe;
    private final String runTag = UUID.randomUUID().toString().substring(0, 6);
    private final Report report;
    private Receivers receivers;
    private volatile Collector current;
    private volatile boolean polling;
    private Thread poller;

    public ScenarioRunner(BenchConfig config) {
        this.config = config;
        this.baseUrl = Api.BASE;
        this.probe = new ServerProbe(Path.of(System.getProperty("pons.it.serverDir",
                "target/liberty/wlp/usr/servers/defaultServer")).toAbsolutePath());
        this.report = new Report(config);
    }

    /** Runs what the configuration asks for and returns the judged report (printing and writing are the caller's). */
    public Report run() throws Exception {
        boolean fanOut = config.scenarios().contains(5) || config.scenarios().contains(6);
        int count = Math.max(config.targets(), fanOut ? config.fanout() : 0);
        if (config.scenarios().contains(3)) {
            count = Math.max(count, config.targets() + 2 + config.slowTargets());
        }
        if (config.scenarios().contains(7)) {
            count = Math.max(count, Math.max(2, config.targets()));
        }
        receivers = Receivers.start(count);
        startPolling();
        try {
            report.machine.put("serverPid", String.valueOf(probe.pid()));
            databaseSettings().ifPresent(settings -> report.machine.put("database", settings));
            report.machine.put("receiverPid", String.valueOf(receivers.pid()));
            if (config.warmupSeconds() > 0) {
                warmUp();
            }
            Report.Scenario s1 = null;
            Report.Scenario s2 = null;
            if (config.scenarios().contains(1)) {
                s1 = timed(() -> throughput("S1", "max throughput, " + config.targets() + " targets", config.targets(),
                        i -> "", config.minBatch(), config.maxBatch(), config.seconds(), true));
            }
            if (config.scenarios().contains(2)) {
                s2 = timed(() -> fixedRate("S2"));
            }
            Report.Scenario forS3 = s2;
            if (config.scenarios().contains(3)) {
                timed(() -> tenantIsolation(forS3));
            }
            Report.Scenario forS4 = s1;
            if (config.scenarios().contains(4)) {
                timed(() -> backlog(forS4));
            }
            if (config.scenarios().contains(5)) {
                timed(() -> throughput("S5", "fan-out 1 event -> " + config.fanout() + " targets", config.fanout(),
                        i -> "", 1, 1, config.seconds(), true));
            }
            if (config.scenarios().contains(6)) {
                Report.Scenario s6 = timed(() -> throughput("S6", "as S5, each target with a 5-condition filter",
                        config.fanout(), i -> ",\"filter\":" + FIVE_CONDITIONS, 1, 1, config.seconds(), true));
                s6.notes.add("every event passes every filter, so S6 delivers what S5 does: the difference is the"
                        + " cost of evaluating " + config.fanout() + " filters per event");
            }
            if (config.scenarios().contains(7)) {
                timed(this::fifoBesideUnordered);
            }
            if (config.scenarios().contains(8)) {
                timed(this::rateLimit);
            }
            if (config.scenarios().contains(9)) {
                rateSweep();
            }
            report.machine.put("serverPeakRssLifetimeMiB", Report.fmt(probe.peakRssBytes() / 1048576.0));
            report.machine.put("loadavgAtEnd", Report.loadAverage());
        } finally {
            stopPolling();
            receivers.close();
        }
        report.judge();
        return report;
    }

    interface ScenarioRun {
        Report.Scenario run() throws Exception;
    }

    private Report.Scenario timed(ScenarioRun run) throws Exception {
        long start = System.nanoTime();
        Report.Scenario scenario = run.run();
        scenario.wallSeconds = (System.nanoTime() - start) / 1e9;
        report.scenarios.add(scenario);
        return scenario;
    }

    // ---------------------------------------------------------------- scenarios

    /**
     * S1 and S5: as fast as Pons takes them. Each sender holds its next Meta POST back while the
     * deliveries outstanding (events accepted x targets - first arrivals) plus those it would add exceed
     * the window: "as fast as it takes them", not a backlog test.
     */
    /**
     * A freshly started server runs interpreted, then compiles: on two cores HotSpot's C2 thread takes most of a
     * core for minutes under load, and a scenario measured meanwhile measures the compiler. Closed-loop rounds,
     * unreported, until the compiler threads used at most a tenth of a core in the last one.
     */
    private void warmUp() throws Exception {
        long started = System.nanoTime();
        double jitShare = Double.NaN;
        int round = 0;
        double elapsed = 0;
        do {
            double seconds = round == 0 ? config.warmupSeconds() : WARMUP_ROUND_SECONDS;
            double jitBefore = probe.jitCpuSeconds();
            long roundStart = System.nanoTime();
            throughput("W" + round, "warm-up", config.targets(), i -> "", config.minBatch(), config.maxBatch(), seconds, false);
            jitShare = (probe.jitCpuSeconds() - jitBefore) / ((System.nanoTime() - roundStart) / 1e9);
            elapsed = (System.nanoTime() - started) / 1e9;
            round++;
        } while (Double.isFinite(jitShare) && jitShare > WARM_JIT_SHARE
                && elapsed + WARMUP_ROUND_SECONDS <= config.warmupMaxSeconds());
        report.machine.put("warmupSeconds", Report.fmt(elapsed));
        report.machine.put("warmupJitCoresLastRound", Report.fmt(jitShare));
    }

    static final double WARMUP_ROUND_SECONDS = 15;

    /** Cores' worth the JIT compiler may still use in the last warm-up round. */
    static final double WARM_JIT_SHARE = 0.1;

    private Report.Scenario throughput(String id, String title, int targets, IntFunction<String> extraJson, int minBatch,
                                       int maxBatch, double seconds, boolean withRaw) throws Exception {
        Report.Scenario scenario = new Report.Scenario(id, title);
        Setup setup = setup(id, targets, extraJson);
        MetaTraffic traffic = new MetaTraffic(setup.number(), runTag + id, minBatch, maxBatch);
        int[] healthy = Collector.range(0, targets);
        Collector collector = collect(traffic.idPrefix(), healthy);
        LoadGenerator generator = new LoadGenerator(baseUrl);
        ServerProbe.Metrics before = probe.metrics("application");
        long start;
        long end;
        try (ServerProbe.Sampler sampler = probe.sample(500)) {
            start = ReceiverMain.micros();
            long stopAt = System.nanoTime() + (long) (seconds * 1e9);
            LoadGenerator.closedLoop(config.ingestThreads(), seconds, () -> true, random -> {
                MetaTraffic.Batch batch = traffic.next(random);
                long adds = (long) batch.events() * targets;
                while (System.nanoTime() < stopAt) {
                    long outstanding = generator.acceptedEvents.get() * targets - collector.delivered.get();
                    if (outstanding <= 0 || outstanding + adds <= config.window()) {
                        generator.postToService(batch);
                        return;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            });
            end = ReceiverMain.micros();
            drain(collector, expectedPairs(generator, targets), config.drainSeconds());
            disable(setup);
            settle();
            scenario.peakRssMiB = sampler.peakRssBytes() / 1048576.0;
            scenario.peakHeapMiB = sampler.peakHeapBytes() / 1048576.0;
        }
        serverFigures(scenario, before, probe.metrics("application"));
        serviceRun(scenario.service, generator, collector, healthy, start, end);
        account(scenario, setup, healthy, collector);
        scenario.notes.add("closed loop, " + config.ingestThreads() + " Meta POSTs in flight, at most "
                + config.window() + " deliveries outstanding: its latency is mostly that queue (Little's law)");
        if (withRaw) {
            scenario.raw = rawClosedLoop(id + "raw", targets);
            scenario.rawNote = "direct to " + targets + " receivers, " + config.rawThreads() + " in flight";
        }
        return scenario;
    }

    /**
     * S6's filter: five conditions on envelope and payload, as a user's might read, that every event the
     * benchmark sends passes, so S6 and S5 expect the same deliveries.
     */
    static final String FIVE_CONDITIONS = "{\"type\":{\"$in\":[\"message.inbound.received\",\"message.status.updated\"]},"
            + "\"source\":\"meta_webhook\",\"id\":{\"$startsWith\":\"evt_\"},\"occurredAt\":{\"$gt\":0},"
            + "\"payload.phoneNumberId\":{\"$exists\":true}}";

    /**
     * What a fixed-rate run offers: {@code eventsPerSec} in Meta POSTs of {@code minBatch}–{@code maxBatch}
     * messages, for {@code seconds} (its raw run {@code rawSeconds}).
     */
    record FixedLoad(double eventsPerSec, int minBatch, int maxBatch, double seconds, double rawSeconds) {
    }

    /** S2 and S3's load: {@code bench.rate} in bursts of {@code bench.batch}. */
    private FixedLoad configuredLoad() {
        return new FixedLoad(config.rate(), config.minBatch(), config.maxBatch(), config.seconds(), config.rawSeconds());
    }

    /** S2: a fixed event rate, all targets healthy. */
    private Report.Scenario fixedRate(String id) throws Exception {
        Report.Scenario scenario = new Report.Scenario(id, Report.fmt(config.rate()) + " events/s, "
                + config.targets() + " targets");
        Setup setup = setup(id, config.targets(), i -> "");
        measureFixedRate(scenario, setup, Collector.range(0, config.targets()), null, configuredLoad());
        scenario.raw = rawFixedRate(id + "raw", config.targets(), configuredLoad());
        scenario.rawNote = "direct to " + config.targets() + " receivers, same rate";
        return scenario;
    }

    /**
     * S9: the latency curve. Deliveries/s rising through {@code bench.sweep}, one message per Meta POST (so a
     * delivery's latency is its own, not a burst's), each step as S2 with its raw run beside it. A step that
     * is not sustained ends the sweep: the higher ones would only measure a backlog.
     */
    private void rateSweep() throws Exception {
        int targets = config.targets();
        for (int deliveriesPerSec : config.sweep()) {
            String id = "S9-" + deliveriesPerSec;
            FixedLoad load = new FixedLoad(deliveriesPerSec / (double) targets, 1, 1, config.seconds(),
                    config.rawSeconds());
            Report.Scenario step = timed(() -> {
                Report.Scenario scenario = new Report.Scenario(id, String.format("%,d deliveries/s, 1 message per POST, %d targets",
                        deliveriesPerSec, targets));
                Setup setup = setup(id, targets, i -> "");
                measureFixedRate(scenario, setup, Collector.range(0, targets), null, load);
                scenario.raw = rawFixedRate(id + "raw", targets, load);
                scenario.rawNote = "direct to " + targets + " receivers, same rate";
                scenario.extra.put("sweep.deliveriesPerSec", (double) deliveriesPerSec);
                return scenario;
            });
            if (!Report.sustained(step)) {
                step.notes.add("not sustained (less than 90 % of the offered rate delivered, or the load stopped): the"
                        + " sweep ends here, higher rates would only measure this step's backlog");
                return;
            }
        }
    }

    /**
     * S3: tenant isolation. Tenant B has S2's healthy targets at S2's rate; tenant A, an account and number
     * of its own, gets as many events for a hanging target, one answering 500 and {@code bench.slow.targets}
     * answering 200 after {@code bench.slow.ms}, so A's deliveries pile up beside B's. The latency is B's.
     */
    private Report.Scenario tenantIsolation(Report.Scenario s2) throws Exception {
        int targets = config.targets();
        int slow = config.slowTargets();
        Report.Scenario scenario = new Report.Scenario("S3", Report.fmt(config.rate()) + " events/s to B; A: hang, 500, "
                + slow + " slow");
        // A's receivers come after B's: the hanging one, the 500 one, then the slow ones.
        int hanging = targets;
        int failing = targets + 1;
        int[] slowOnes = Collector.range(targets + 2, targets + 2 + slow);
        int[] tenantA = Collector.range(targets, targets + 2 + slow);
        // Answering at four fifths of its timeout: a success every time, holding a connection almost as long
        // as a timeout does.
        int slowTimeoutMs = Math.min(60_000, Math.max(1_000, config.slowMs() * 5 / 4));
        receivers.mode("hang", hanging);
        receivers.mode("error", failing);
        receivers.slow(config.slowMs(), slowOnes);
        try {
            Setup b = setup("S3 B", Collector.range(0, targets), i -> "");
            // The hanging and the 500 target keep Pons' default retry policy (8 attempts, 10 s timeout, 5 s first backoff).
            Setup a = setup("S3 A", tenantA, i -> i >= targets + 2 ? ",\"timeoutMs\":" + slowTimeoutMs : "");
            LoadGenerator aLoad = measureFixedRate(scenario, b, Collector.range(0, targets), a, configuredLoad());
            tenantAFigures(scenario, a, aLoad, slow, slowTimeoutMs);
        } finally {
            receivers.mode("ok", tenantA);
        }
        if (s2 != null && s2.raw != null) {
            scenario.raw = s2.raw;
            scenario.rawNote = "same as S2's raw run";
        } else {
            scenario.raw = rawFixedRate("S3raw", targets, configuredLoad());
            scenario.rawNote = "direct to " + targets + " receivers, same rate";
        }
        return scenario;
    }

    /**
     * What became of tenant A's deliveries. None of them has to have arrived: those to the hanging and the
     * 500 target are retried or failed, the slow ones take their time. So they are reported, never counted
     * as missing or lost.
     */
    private void tenantAFigures(Report.Scenario scenario, Setup a, LoadGenerator load, int slow, int slowTimeoutMs) {
        scenario.extra.put("tenantA.events", (double) load.acceptedEvents.get());
        try {
            Map<String, Long> statuses = statuses(a.targetIds());
            for (String status : List.of("succeeded", "pending", "failed")) {
                scenario.extra.put("tenantA.deliveries." + status, (double) statuses.getOrDefault(status, 0L));
            }
        } catch (java.sql.SQLException e) {
            scenario.notes.add("tenant A's deliveries not readable: " + e.getMessage());
        }
        scenario.notes.add("latency of tenant B's " + config.targets() + " targets; tenant A, another account, got as"
                + " many events for 1 target that never answers, 1 that answers 500 and " + slow + " that answer 200 after "
                + config.slowMs() + " ms (timeout " + slowTimeoutMs + " ms): A's deliveries are not counted");
    }

    /**
     * Deliveries outstanding beyond which a fixed rate counts as not sustained: {@code bench.overload.seconds}
     * (2) of the offered deliveries, at least the closed loop's window. Latency past that is seconds, far
     * beyond any target, and feeding on would only leave a backlog for the scenarios after.
     */
    private long overloadCap(int receivers, FixedLoad load) {
        return Math.max(config.window(), (long) (load.eventsPerSec() * receivers * config.overloadSeconds()));
    }

    private void overloaded(Report.Scenario scenario, double ran, long cap, FixedLoad load) {
        if (ran < load.seconds() - 0.5) {
            scenario.notes.add("not sustained: the load stopped after " + Report.fmt(ran) + " of " + Report.fmt(load.seconds())
                    + " s, when more than " + cap + " deliveries were outstanding (" + Report.fmt(config.overloadSeconds())
                    + " s of the offered rate)");
            scenario.extra.put("secondsSustained", ran);
        }
    }

    /**
     * Measures {@code setup}'s healthy targets at {@code bench.rate}. With {@code beside}, another account's
     * number gets a batch of the same size with each of them; its deliveries are not measured, and its load
     * generator is returned.
     */
    private LoadGenerator measureFixedRate(Report.Scenario scenario, Setup setup, int[] healthy, Setup beside,
                                           FixedLoad load) throws Exception {
        MetaTraffic traffic = new MetaTraffic(setup.number(), runTag + scenario.id, load.minBatch(), load.maxBatch());
        // Its message ids extend the measured ones' prefix, so the collector sees its arrivals too (its bad
        // targets' answers count as non-OK arrivals) while only the healthy targets' count as delivered.
        MetaTraffic besideTraffic = beside == null ? null
                : new MetaTraffic(beside.number(), runTag + scenario.id + "_beside", load.minBatch(), load.maxBatch());
        Collector collector = collect(traffic.idPrefix(), healthy);
        LoadGenerator generator = new LoadGenerator(baseUrl);
        LoadGenerator besideGenerator = new LoadGenerator(baseUrl);
        ServerProbe.Metrics before = probe.metrics("application");
        long start;
        long end;
        try (ServerProbe.Sampler sampler = probe.sample(500)) {
            start = ReceiverMain.micros();
            long cap = overloadCap(healthy.length, load);
            double ran = LoadGenerator.fixedRate(load.eventsPerSec(), load.seconds(),
                    () -> generator.acceptedEvents.get() * healthy.length - collector.delivered.get() > cap, random -> {
                        MetaTraffic.Batch batch = traffic.next(random);
                        generator.postToServiceAsync(batch);
                        if (besideTraffic != null) {
                            besideGenerator.postToServiceAsync(besideTraffic.next(random, batch.events()));
                        }
                        return batch.events();
                    });
            end = ReceiverMain.micros();
            overloaded(scenario, ran, cap, load);
            generator.awaitInFlight(Duration.ofSeconds(60));
            besideGenerator.awaitInFlight(Duration.ofSeconds(60));
            drain(collector, expectedPairs(generator, healthy.length), config.drainSeconds());
            disable(setup);
            if (beside != null) {
                disable(beside);
            }
            settle();
            scenario.peakRssMiB = sampler.peakRssBytes() / 1048576.0;
            scenario.peakHeapMiB = sampler.peakHeapBytes() / 1048576.0;
        }
        serverFigures(scenario, before, probe.metrics("application"));
        serviceRun(scenario.service, generator, collector, healthy, start, end);
        scenario.service.eventsPerSec = generator.acceptedEvents.get() / ((end - start) / 1e6);
        account(scenario, setup, healthy, collector);
        return besideGenerator;
    }

    /** S4: receivers down while the backlog piles up, then up; drain rate and the server's memory. */
    private Report.Scenario backlog(Report.Scenario s1) throws Exception {
        int targets = config.targets();
        int events = Math.max(1, config.backlog() / targets);
        Report.Scenario scenario = new Report.Scenario("S4", "backlog " + String.format("%,d", events * targets)
                + " deliveries, then drain");
        // While the receivers are down each target's circuit sends one probe at a time: the probe is one
        // delivery making its attempts, on the contract's schedule up to an hour apart, so however long the
        // pile-up takes it does not use up its 20. When the receivers are back, a test send to each target
        // closes its circuit at once, as a user whose endpoint is back would: the drain measures throughput,
        // not how long the retry schedule sleeps. Connection refused fails fast, so a short timeout suffices.
        Setup setup = setup("S4", targets, i -> ",\"maxAttempts\":20,\"timeoutMs\":2000,\"initialBackoffMs\":100,"
                + "\"maxBackoffMs\":3600000");
        MetaTraffic traffic = new MetaTraffic(setup.number(), runTag + "S4", config.minBatch(), config.maxBatch());
        int[] healthy = Collector.range(0, targets);
        Collector collector = collect(traffic.idPrefix(), healthy);
        LoadGenerator generator = new LoadGenerator(baseUrl);
        ServerProbe.Metrics before = probe.metrics("application");
        double pendingBefore = before.get("pons_deliveries_pending");
        receivers.modeRange("down", 0, targets);
        long pileStart = ReceiverMain.micros();
        long up;
        try (ServerProbe.Sampler pile = probe.sample(500)) {
            java.util.concurrent.atomic.AtomicLong remaining = new java.util.concurrent.atomic.AtomicLong(events);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            LoadGenerator.closedLoop(config.ingestThreads(), () -> remaining.get() > 0 && System.nanoTime() < deadline,
                    () -> true, random -> {
                        int size = traffic.size(random);
                        long left = remaining.getAndAdd(-size);
                        if (left <= 0) {
                            return;
                        }
                        generator.postToService(traffic.next(random, (int) Math.min(size, left)));
                    });
            long ingested = ReceiverMain.micros();
            // Wait until every accepted event has its deliveries, counted in the database for this scenario's
            // targets: the server-wide pending gauge also moves with earlier scenarios' retries.
            long expected = generator.acceptedEvents.get() * targets;
            double baseline = Double.isNaN(pendingBefore) ? 0 : pendingBefore;
            long waitUntil = System.nanoTime() + (long) (Math.max(60, config.drainSeconds()) * 1e9);
            while (System.nanoTime() < waitUntil && pendingOf(setup.targetIds()) < expected) {
                Thread.sleep(200);
            }
            double pending = probe.metrics("application").get("pons_deliveries_pending");
            long piled = ReceiverMain.micros();
            // Then hold it a while, and take the live heap with the whole backlog pending.
            Thread.sleep((long) Math.min(3000, config.seconds() * 250));
            scenario.extra.put("pendingHeapAfterFullGcMiB", probe.usedHeapAfterFullGcBytes() / 1048576.0);
            Path histogram = Path.of("target", "bench", "S4-histogram-" + events * targets + ".txt");
            if (probe.writeClassHistogram(histogram)) {
                scenario.notes.add("live objects with the backlog pending: " + histogram);
            }
            scenario.extra.put("ingestSeconds", (ingested - pileStart) / 1e6);
            scenario.extra.put("fanOutSeconds", (piled - pileStart) / 1e6);
            scenario.extra.put("pendingGaugeBeforeDrain", pending);
            scenario.extra.put("pendingGaugeOfThisScenario", pending - baseline);
            scenario.extra.put("pendingPeakHeapMiB", pile.peakHeapBytes() / 1048576.0);
            scenario.extra.put("pendingPeakRssMiB", pile.peakRssBytes() / 1048576.0);
            scenario.peakRssMiB = pile.peakRssBytes() / 1048576.0;
            scenario.peakHeapMiB = pile.peakHeapBytes() / 1048576.0;
        } finally {
            receivers.modeRange("ok", 0, targets);
        }
        up = ReceiverMain.micros();
        List<String> testDeliveries = closeCircuits(setup);
        try (ServerProbe.Sampler drain = probe.sample(500)) {
            long expected = expectedPairs(generator, targets);
            drain(collector, expected, config.drainSeconds() * 2);
            disable(setup);
            settle();
            scenario.peakRssMiB = Math.max(scenario.peakRssMiB, drain.peakRssBytes() / 1048576.0);
            scenario.peakHeapMiB = Math.max(scenario.peakHeapMiB, drain.peakHeapBytes() / 1048576.0);
            scenario.extra.put("drainPeakHeapMiB", drain.peakHeapBytes() / 1048576.0);
        }
        serverFigures(scenario, before, probe.metrics("application"));
        serviceRun(scenario.service, generator, collector, healthy, pileStart, pileStart);
        long last = collector.lastOkMicros;
        double drainSeconds = last > up ? (last - up) / 1e6 : Double.NaN;
        scenario.extra.put("drainSeconds", drainSeconds);
        scenario.extra.put("drainDeliveriesPerSec", scenario.service.delivered / drainSeconds);
        // Throughput of this scenario is its drain; latency from the Meta POST includes the outage, so none is given.
        scenario.service.deliveriesPerSec = scenario.service.delivered / drainSeconds;
        scenario.service.eventsPerSec = scenario.service.deliveriesPerSec / targets;
        scenario.service.p50 = scenario.service.p95 = scenario.service.p99 = Double.NaN;
        scenario.service.signedP50 = scenario.service.signedP95 = scenario.service.signedP99 = Double.NaN;
        scenario.service.seconds = drainSeconds;
        account(scenario, setup, healthy, collector, testDeliveries);
        if (scenario.service.missing > 0) {
            scenario.notes.add("the drain did not finish within its " + Report.fmt(config.drainSeconds() * 2)
                    + " s: the rate is over what arrived");
        }
        if (s1 != null && s1.raw != null) {
            scenario.raw = s1.raw;
            scenario.rawNote = "same as S1's raw run";
        }
        return scenario;
    }

    /**
     * S7: a FIFO target beside unordered ones of the same account. The account has two numbers: the
     * unordered targets take the first one's events in S1's closed loop ({@code bench.ingest.threads}
     * senders, at most {@code bench.window} of their deliveries outstanding); the FIFO target takes the
     * second one's, sent by one sender that waits for each 200 before its next POST, so the order Pons
     * accepted them in is the order they were sent in (and, inside a POST, Meta's array order). That
     * sender keeps up to the FIFO target's share of the window ({@code bench.window / bench.targets}
     * events) outstanding, so its line is never empty and its throughput is what one delivery at a time
     * gives: set against its round trip, 1 / the mean attempt latency.
     */
    private Report.Scenario fifoBesideUnordered() throws Exception {
        int targets = Math.max(2, config.targets());
        int[] fifo = {0};
        int[] unordered = Collector.range(1, targets);
        Report.Scenario scenario = new Report.Scenario("S7", "FIFO beside " + unordered.length + " unordered targets");
        TestAccount account = TestAccounts.create();
        String unorderedNumber = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        String fifoNumber = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        Setup setup = new Setup(account, unorderedNumber, targets(account, "S7", Collector.range(0, targets),
                i -> i == 0 ? ",\"ordering\":\"fifo\",\"phoneNumberIds\":[\"" + fifoNumber + "\"]"
                        : ",\"phoneNumberIds\":[\"" + unorderedNumber + "\"]"));
        MetaTraffic unorderedTraffic = new MetaTraffic(unorderedNumber, runTag + "S7", config.minBatch(), config.maxBatch());
        // Its ids extend the unordered ones' prefix, so one collector sees both; they sort in the order sent.
        MetaTraffic fifoTraffic = new MetaTraffic(fifoNumber, runTag + "S7_fifo", config.minBatch(), config.maxBatch());
        Collector collector = collect(unorderedTraffic.idPrefix(), Collector.range(0, targets));
        LoadGenerator unorderedLoad = new LoadGenerator(baseUrl);
        LoadGenerator fifoLoad = new LoadGenerator(baseUrl);
        int fifoWindow = Math.max(config.maxBatch(), config.window() / targets);
        ServerProbe.Metrics before = probe.metrics("application");
        long start;
        long end;
        try (ServerProbe.Sampler sampler = probe.sample(500)) {
            start = ReceiverMain.micros();
            long stopAt = System.nanoTime() + (long) (config.seconds() * 1e9);
            Thread fifoSender = new Thread(() -> LoadGenerator.closedLoop(1, config.seconds(), () -> true, random -> {
                MetaTraffic.Batch batch = fifoTraffic.next(random);
                while (System.nanoTime() < stopAt) {
                    long outstanding = fifoLoad.acceptedEvents.get() - collector.deliveredTo(fifo);
                    if (outstanding <= 0 || outstanding + batch.events() <= fifoWindow) {
                        fifoLoad.postToService(batch);
                        return;
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            }), "loadgen-fifo");
            fifoSender.start();
            LoadGenerator.closedLoop(config.ingestThreads(), config.seconds(), () -> true, random -> {
                MetaTraffic.Batch batch = unorderedTraffic.next(random);
                long adds = (long) batch.events() * unordered.length;
                while (System.nanoTime() < stopAt) {
                    long outstanding = unorderedLoad.acceptedEvents.get() * unordered.length - collector.deliveredTo(unordered);
                    if (outstanding <= 0 || outstanding + adds <= config.window()) {
                        unorderedLoad.postToService(batch);
                        return;
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            });
            fifoSender.join();
            end = ReceiverMain.micros();
            drain(collector, unorderedLoad.acceptedEvents.get() * unordered.length + fifoLoad.acceptedEvents.get(),
                    config.drainSeconds());
            disable(setup);
            settle();
            scenario.peakRssMiB = sampler.peakRssBytes() / 1048576.0;
            scenario.peakHeapMiB = sampler.peakHeapBytes() / 1048576.0;
        }
        ServerProbe.Metrics after = probe.metrics("application");
        serverFigures(scenario, before, after);
        scenario.service.label = "S7 " + unordered.length + " unordered targets, S1's closed loop";
        serviceRun(scenario.service, unorderedLoad, collector, unordered, start, end);
        Report.Run fifoRun = new Report.Run();
        fifoRun.label = "1 FIFO target, one POST at a time";
        serviceRun(fifoRun, fifoLoad, collector, fifo, start, end);
        scenario.groups.put("fifo", fifoRun);
        account(scenario, setup, unordered, collector, List.of());
        account(scenario, fifoRun, setup, fifo, collector, List.of());

        // The FIFO target's first arrivals, in arrival order: each must carry a later id than all before it.
        long outOfOrder = 0;
        long whileLoaded = 0;
        long from = start + (long) warmupMicros(start, end);
        synchronized (collector) {
            List<Map.Entry<String, Collector.Pair>> firsts = new ArrayList<>();
            for (Map.Entry<String, Collector.Pair> pair : collector.pairs.entrySet()) {
                String key = pair.getKey();
                String message = key.substring(0, key.lastIndexOf('#'));
                if (key.endsWith("#0") && pair.getValue().okCount > 0 && fifoLoad.sent.containsKey(message)
                        && !fifoLoad.rejected.contains(message)) {
                    firsts.add(Map.entry(message, pair.getValue()));
                }
            }
            firsts.sort(java.util.Comparator.comparingLong(e -> e.getValue().firstOkMicros));
            String latest = "";
            for (Map.Entry<String, Collector.Pair> first : firsts) {
                if (first.getKey().compareTo(latest) < 0) {
                    outOfOrder++;
                } else {
                    latest = first.getKey();
                }
                long at = first.getValue().firstOkMicros;
                if (at >= from && at <= end) {
                    whileLoaded++;
                }
            }
        }
        double fifoPerSec = end > from ? whileLoaded / ((end - from) / 1e6) : Double.NaN;
        double attemptMs = (after.get("pons_delivery_attempt_duration_seconds_sum")
                - before.get("pons_delivery_attempt_duration_seconds_sum"))
                / (after.get("pons_delivery_attempt_duration_seconds_count")
                - before.get("pons_delivery_attempt_duration_seconds_count")) * 1000;
        scenario.extra.put("fifo.outOfOrder", (double) outOfOrder);
        scenario.extra.put("fifo.deliveriesPerSecWhileLoaded", fifoPerSec);
        scenario.extra.put("attemptMeanMs", attemptMs);
        scenario.extra.put("fifo.roundTripLimitPerSec", 1000 / attemptMs);
        scenario.extra.put("fifo.shareOfRoundTripLimit", fifoPerSec * attemptMs / 1000);
        scenario.notes.add("fifo.deliveriesPerSecWhileLoaded: the FIFO target's first arrivals between the warm-up and"
                + " the end of the load, its line never empty (up to " + fifoWindow + " events outstanding);"
                + " fifo.roundTripLimitPerSec: 1 / attemptMeanMs, the server's mean attempt latency (all targets)");
        return scenario;
    }

    /**
     * S8: one target with {@code rateLimitPerSecond} = {@code bench.rate.limit} and a backlog well above
     * it, {@code max(2, bench.seconds)} seconds' worth at the limit, posted as fast as Pons takes them. From
     * the X-Pons-Timestamp of every request the receiver got: the most in any sliding second and the
     * average rate from the first to the last. Latency from the Meta POST is the backlog's wait: none is given.
     */
    private Report.Scenario rateLimit() throws Exception {
        int limit = config.rateLimit();
        int backlog = (int) Math.round(limit * Math.max(2, config.seconds()));
        Report.Scenario scenario = new Report.Scenario("S8", "rate limit " + limit + "/s, backlog "
                + String.format("%,d", backlog));
        Setup setup = setup("S8", 1, i -> ",\"rateLimitPerSecond\":" + limit);
        MetaTraffic traffic = new MetaTraffic(setup.number(), runTag + "S8", config.minBatch(), config.maxBatch());
        int[] target = {0};
        Collector collector = collect(traffic.idPrefix(), target);
        collector.keepSignedAt();
        LoadGenerator generator = new LoadGenerator(baseUrl);
        ServerProbe.Metrics before = probe.metrics("application");
        long start;
        long end;
        long arrivedWhileIngesting;
        try (ServerProbe.Sampler sampler = probe.sample(500)) {
            start = ReceiverMain.micros();
            AtomicLong remaining = new AtomicLong(backlog);
            LoadGenerator.closedLoop(config.ingestThreads(), () -> remaining.get() > 0, () -> true, random -> {
                int size = traffic.size(random);
                long left = remaining.getAndAdd(-size);
                if (left > 0) {
                    generator.postToService(traffic.next(random, (int) Math.min(size, left)));
                }
            });
            end = ReceiverMain.micros();
            collectNow();
            arrivedWhileIngesting = collector.delivered.get();
            drain(collector, generator.acceptedEvents.get(), config.drainSeconds() + backlog / (double) limit);
            disable(setup);
            settle();
            scenario.peakRssMiB = sampler.peakRssBytes() / 1048576.0;
            scenario.peakHeapMiB = sampler.peakHeapBytes() / 1048576.0;
        }
        serverFigures(scenario, before, probe.metrics("application"));
        serviceRun(scenario.service, generator, collector, target, start, end);
        long[] signedAt = collector.signedAtSorted();
        double seconds = signedAt.length > 1 ? (signedAt[signedAt.length - 1] - signedAt[0]) / 1000.0 : Double.NaN;
        double rate = signedAt.length > 1 ? (signedAt.length - 1) / seconds : Double.NaN;
        scenario.extra.put("limitPerSec", (double) limit);
        scenario.extra.put("acceptedDeliveries", (double) generator.acceptedEvents.get());
        scenario.extra.put("ingestSeconds", (end - start) / 1e6);
        scenario.extra.put("arrivedWhileIngesting", (double) arrivedWhileIngesting);
        scenario.extra.put("attempts", (double) signedAt.length);
        scenario.extra.put("maxAttemptsInAnySlidingSecond", (double) SlidingSecond.busiest(signedAt));
        scenario.extra.put("attemptsPerSec", rate);
        scenario.service.deliveriesPerSec = rate;
        scenario.service.eventsPerSec = rate;
        scenario.service.seconds = seconds;
        scenario.service.p50 = scenario.service.p95 = scenario.service.p99 = Double.NaN;
        scenario.service.signedP50 = scenario.service.signedP95 = scenario.service.signedP99 = Double.NaN;
        account(scenario, setup, target, collector);
        scenario.notes.add("deliveries/s here is attempts/s from the first X-Pons-Timestamp to the last; latency from"
                + " the Meta POST is the backlog's wait, not given");
        return scenario;
    }


    /*
     * The raw limit sends what Pons would have to send: one signed POST per event and receiver. Its
     * bodies come from the same generator as the Meta POSTs (one message each, about the size of a
     * delivery's envelope); a 1-50 message Meta body sent as-is would need 25 times fewer POSTs than
     * Pons makes for the same events, and the comparison would say nothing.
     */

    private Report.Run rawClosedLoop(String tag, int receiverCount) throws Exception {
        MetaTraffic traffic = new MetaTraffic("106540352242922", runTag + tag, 1, 1);
        Collector collector = collect(traffic.idPrefix(), Collector.range(0, receiverCount));
        LoadGenerator generator = new LoadGenerator(baseUrl);
        long start = ReceiverMain.micros();
        LoadGenerator.closedLoop(config.rawThreads(), config.rawSeconds(), () -> true, random -> {
            MetaTraffic.Batch single = traffic.next(random, 1);
            for (int i = 0; i < receiverCount; i++) {
                generator.postRaw(single, i, receivers.uri(i));
            }
        });
        long end = ReceiverMain.micros();
        drain(collector, generator.sent.size(), 10);
        Report.Run run = new Report.Run();
        run.label = tag;
        rawRun(run, generator, collector, receiverCount, start, end);
        return run;
    }

    /**
     * The same event rate and burst sizes as the scenario, each event offered to every receiver at once
     * and sent by {@code bench.raw.threads} senders, as many as Pons has delivery listeners: unbounded
     * concurrency (a connection per POST of a 50-event burst) would measure the client's connection
     * set-up, not a limit. Latency counts from the offer, so waiting for a sender is in it, as Pons' queue is.
     */
    private Report.Run rawFixedRate(String tag, int receiverCount, FixedLoad load) throws Exception {
        MetaTraffic traffic = new MetaTraffic("106540352242922", runTag + tag, load.minBatch(), load.maxBatch());
        Collector collector = collect(traffic.idPrefix(), Collector.range(0, receiverCount));
        LoadGenerator generator = new LoadGenerator(baseUrl);
        ExecutorService senders = Executors.newFixedThreadPool(config.rawThreads());
        AtomicLong offered = new AtomicLong();
        long start = ReceiverMain.micros();
        long cap = overloadCap(receiverCount, load);
        double ran = LoadGenerator.fixedRate(load.eventsPerSec(), load.rawSeconds(),
                () -> offered.get() - collector.delivered.get() > cap, random -> {
            int events = traffic.size(random);
            long now = ReceiverMain.micros();
            for (int e = 0; e < events; e++) {
                MetaTraffic.Batch single = traffic.next(random, 1);
                for (int i = 0; i < receiverCount; i++) {
                    int receiver = i;
                    offered.incrementAndGet();
                    senders.execute(() -> generator.postRaw(single, receiver, receivers.uri(receiver), now));
                }
            }
            return events;
        });
        long end = ReceiverMain.micros();
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.SECONDS);
        drain(collector, generator.sent.size(), 10);
        Report.Run run = new Report.Run();
        run.label = tag;
        rawRun(run, generator, collector, receiverCount, start, end);
        run.eventsPerSec = generator.sent.size() / (double) receiverCount / ((end - start) / 1e6);
        if (ran < load.rawSeconds() - 0.5) {
            run.label = tag + ", overloaded after " + Report.fmt(ran) + " s";
        }
        return run;
    }

    // ---------------------------------------------------------------- measuring

    private double warmupMicros(long start, long end) {
        return Math.min(2_000_000, 0.15 * (end - start));
    }

    /**
     * Counts, latencies and throughput of a run through Pons, from what the receivers saw. Latency
     * percentiles cover every (event, healthy target) sent after the warm-up: what never arrived counts
     * as infinitely late, so a percentile that falls on it reads "late", never a flattering number.
     */
    private void serviceRun(Report.Run run, LoadGenerator generator, Collector collector, int[] healthy, long start, long end) {
        synchronized (collector) {
            long from = start + (long) warmupMicros(start, end);
            // Deliveries keep arriving after the load stops (what was outstanding): count until the last one.
            long until = Math.max(end, collector.lastOkMicros);
            List<Long> latencies = new ArrayList<>();
            List<Long> untilSigned = new ArrayList<>();
            List<long[]> arrived = new ArrayList<>();
            long inWindow = 0;
            // A closed loop whose window fills in the warm-up sends nothing after it: then take every event.
            long latencyFrom = generator.sent.values().stream().anyMatch(v -> v.micros() >= from && v.micros() <= end)
                    ? from : start;
            for (Map.Entry<String, LoadGenerator.Sent> e : generator.sent.entrySet()) {
                if (generator.rejected.contains(e.getKey())) {
                    continue;
                }
                long sentAt = e.getValue().micros();
                boolean measured = sentAt >= latencyFrom && sentAt <= end;
                for (int port : healthy) {
                    run.expected++;
                    Collector.Pair pair = collector.pairs.get(e.getKey() + "#" + port);
                    if (pair == null || pair.okCount == 0) {
                        run.missing++;
                        if (measured) {
                            latencies.add(Long.MAX_VALUE);
                            untilSigned.add(Long.MAX_VALUE);
                        }
                        continue;
                    }
                    run.delivered++;
                    run.duplicatesSameId += pair.otherDeliveryId ? 0 : pair.okCount - 1;
                    run.duplicatesOtherId += pair.otherDeliveryId ? 1 : 0;
                    if (measured) {
                        latencies.add(pair.firstOkMicros - sentAt);
                        arrived.add(new long[] {pair.firstOkMicros - sentAt, sentAt});
                        if (pair.signedAtMillis > 0) {
                            untilSigned.add(pair.signedAtMillis * 1000 - sentAt);
                        }
                    }
                    if (pair.firstOkMicros >= from) {
                        inWindow++;
                    }
                }
            }
            if (!untilSigned.isEmpty()) {
                long[] sorted = untilSigned.stream().mapToLong(Long::longValue).sorted().toArray();
                run.signedP50 = percentile(sorted, 0.50);
                run.signedP95 = percentile(sorted, 0.95);
                run.signedP99 = percentile(sorted, 0.99);
            }
            slowest(run, arrived);
            run.duplicatedEvents = collector.duplicatedEvents.size();
            run.nonOkArrivals = collector.nonOkArrivals.get();
            run.events = generator.acceptedEvents.get();
            run.posts = generator.posts.get();
            run.postErrors = generator.postErrors.get();
            run.seconds = (end - start) / 1e6;
            double window = (until - from) / 1e6;
            run.deliveriesPerSec = window > 0 ? inWindow / window : Double.NaN;
            run.eventsPerSec = run.deliveriesPerSec / healthy.length;
            percentiles(run, latencies);
        }
    }

    /**
     * When the slowest 1 % of the deliveries that arrived were sent: within a few hundred milliseconds of
     * each other, one stall made the p99; spread over the run, the whole run was slow at its tail.
     *
     * @param arrived per delivery its latency and when its Meta POST was sent, both in microseconds
     */
    static void slowest(Report.Run run, List<long[]> arrived) {
        if (arrived.isEmpty()) {
            return;
        }
        List<long[]> slowest = arrived.stream()
                .sorted((a, b) -> Long.compare(b[0], a[0]))
                .limit(Math.max(1, (long) Math.ceil(arrived.size() * 0.01)))
                .toList();
        long first = slowest.stream().mapToLong(a -> a[1]).min().orElseThrow();
        long last = slowest.stream().mapToLong(a -> a[1]).max().orElseThrow();
        run.slowestCount = slowest.size();
        run.slowestFirstSentMillis = first / 1000;
        run.slowestSentOverMs = (last - first) / 1000.0;
    }

    /** The same for the raw limit: each (message, receiver) sent is one POST expected at that receiver. */
    private void rawRun(Report.Run run, LoadGenerator generator, Collector collector, int receiverCount, long start, long end) {
        synchronized (collector) {
            long from = start + (long) warmupMicros(start, end);
            List<Long> latencies = new ArrayList<>();
            long inWindow = 0;
            long eventsInWindow = 0;
            for (Map.Entry<String, LoadGenerator.Sent> e : generator.sent.entrySet()) {
                run.expected++;
                Collector.Pair pair = collector.pairs.get(e.getKey());
                if (pair == null || pair.okCount == 0) {
                    run.missing++;
                    continue;
                }
                run.delivered++;
                long sentAt = e.getValue().micros();
                if (sentAt >= from && sentAt <= end) {
                    latencies.add(pair.firstOkMicros - sentAt);
                }
                if (pair.firstOkMicros >= from) {
                    inWindow++;
                    eventsInWindow += e.getValue().events();
                }
            }
            run.events = generator.sent.values().stream().mapToLong(LoadGenerator.Sent::events).sum() / receiverCount;
            run.posts = generator.posts.get();
            run.postErrors = generator.postErrors.get();
            run.seconds = (end - start) / 1e6;
            double window = (Math.max(end, collector.lastOkMicros) - from) / 1e6;
            run.deliveriesPerSec = inWindow / window;
            run.eventsPerSec = eventsInWindow / (double) receiverCount / window;
            percentiles(run, latencies);
        }
    }

    private static void percentiles(Report.Run run, List<Long> micros) {
        run.latencySamples = micros.size();
        if (micros.isEmpty()) {
            return;
        }
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        run.p50 = percentile(sorted, 0.50);
        run.p95 = percentile(sorted, 0.95);
        run.p99 = percentile(sorted, 0.99);
    }

    /** In ms; {@code Long.MAX_VALUE} (never arrived) reads as infinity. */
    static double percentile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        long value = sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        return value == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : value / 1000.0;
    }

    private static long expectedPairs(LoadGenerator generator, int targets) {
        return generator.acceptedEvents.get() * targets;
    }

    /** Waits until the receivers have the expected number of first arrivals, or the time is up. */
    private void drain(Collector collector, long expected, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (collector.delivered.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(300);
        collectNow();
    }

    /** After the targets were disabled: lets attempts in flight land, then takes what arrived. */
    private void settle() throws InterruptedException {
        Thread.sleep(500);
        collectNow();
    }

    /** Server-side figures: counter deltas over the scenario, attempt-latency quantiles, gauges at its end. */
    private static void serverFigures(Report.Scenario scenario, ServerProbe.Metrics before, ServerProbe.Metrics after) {
        for (String outcome : List.of("succeeded", "retry_scheduled", "failed")) {
            scenario.server.put("attempts." + outcome, after.get("pons_delivery_attempts_total", "outcome", outcome)
                    - before.get("pons_delivery_attempts_total", "outcome", outcome));
        }
        scenario.server.put("deferred", after.sum("pons_delivery_deferred_total") - before.sum("pons_delivery_deferred_total"));
        for (String reason : List.of("target_full", "account_full", "instance_full", "circuit_open")) {
            double deferred = after.get("pons_delivery_deferred_total", "reason", reason)
                    - before.get("pons_delivery_deferred_total", "reason", reason);
            if (deferred > 0) {
                scenario.server.put("deferred." + reason, deferred);
            }
        }
        for (String q : List.of("0.5", "0.95", "0.99")) {
            scenario.server.put("attemptMs.p" + (int) Math.round(Double.parseDouble(q) * 100),
                    after.get("pons_delivery_attempt_duration_seconds", "quantile", q) * 1000);
        }
        scenario.server.put("pending", after.get("pons_deliveries_pending"));
        scenario.server.put("due", after.get("pons_deliveries_due"));
        double cpu = after.cpuSeconds - before.cpuSeconds;
        double attempts = after.sum("pons_delivery_attempts_total") - before.sum("pons_delivery_attempts_total");
        if (cpu > 0 && attempts > 0) {
            scenario.server.put("cpuSeconds", cpu);
            scenario.server.put("cpuMsPerAttempt", cpu * 1000 / attempts);
            double jit = after.jitCpuSeconds - before.jitCpuSeconds;
            if (jit >= 0) {
                scenario.server.put("jitCpuSeconds", jit);
                scenario.server.put("cpuMsPerAttemptWithoutJit", (cpu - jit) * 1000 / attempts);
            }
        }
    }

    /**
     * PostgreSQL's crash-safety settings as the server's database reports them: figures measured with
     * fsync off would promise throughput that a durable commit cannot deliver.
     */
    private static java.util.Optional<String> databaseSettings() {
        try (Connection db = TestAccounts.database(); java.sql.Statement statement = db.createStatement()) {
            if (!"PostgreSQL".equals(db.getMetaData().getDatabaseProductName())) {
                return java.util.Optional.empty();
            }
            List<String> settings = new ArrayList<>();
            for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
                    rows.next();
                    settings.add(name + "=" + rows.getString(1));
                }
            }
            return java.util.Optional.of("PostgreSQL " + db.getMetaData().getDatabaseProductVersion() + ", "
                    + String.join(", ", settings));
        } catch (java.sql.SQLException e) {
            return java.util.Optional.of("settings not readable: " + e.getMessage());
        }
    }

    /** Deliveries to these targets still pending, read from the server's database. */
    private static long pendingOf(List<String> targetIds) throws java.sql.SQLException {
        String marks = String.join(",", java.util.Collections.nCopies(targetIds.size(), "?"));
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM delivery WHERE status = 'pending'"
                     + " AND target_id IN (" + marks + ")")) {
            for (int i = 0; i < targetIds.size(); i++) {
                query.setString(i + 1, targetIds.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Deliveries to these targets by status, read from the server's database. */
    private static Map<String, Long> statuses(List<String> targetIds) throws java.sql.SQLException {
        String marks = String.join(",", java.util.Collections.nCopies(targetIds.size(), "?"));
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement("SELECT status, COUNT(*) FROM delivery WHERE target_id IN ("
                     + marks + ") GROUP BY status")) {
            for (int i = 0; i < targetIds.size(); i++) {
                query.setString(i + 1, targetIds.get(i));
            }
            Map<String, Long> counts = new java.util.HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
            return counts;
        }
    }

    /**
     * What the server's database says became of the scenario's deliveries to its healthy targets
     * (read after they were disabled and what was in flight landed): succeeded, still pending (late,
     * not lost) or failed; those not even created yet were still in the ingest queue. A delivery the
     * server counts as succeeded that no receiver saw would be lost.
     */
    private void account(Report.Scenario scenario, Setup setup, int[] healthy, Collector collector) {
        account(scenario, setup, healthy, collector, List.of());
    }

    /** As above; {@code testDeliveries} (of test events, which no receiver counts) are left out. */
    private void account(Report.Scenario scenario, Setup setup, int[] healthy, Collector collector,
            List<String> testDeliveries) {
        account(scenario, scenario.service, setup, healthy, collector, testDeliveries);
    }

    /** As above, for one run of the scenario: its service run or one of its groups. */
    private void account(Report.Scenario scenario, Report.Run run, Setup setup, int[] healthy, Collector collector,
            List<String> testDeliveries) {
        List<String> ids = java.util.Arrays.stream(healthy).mapToObj(i -> setup.targetIds().get(i)).toList();
        try {
            Map<String, Long> statuses = statuses(ids);
            long succeeded = statuses.getOrDefault("succeeded", 0L) - succeeded(testDeliveries);
            long pending = statuses.getOrDefault("pending", 0L);
            long failed = statuses.getOrDefault("failed", 0L);
            run.serverSucceeded = succeeded;
            run.serverPending = pending;
            run.serverFailed = failed;
            run.notCreated = Math.max(0, run.expected - succeeded - pending - failed);
            // An attempt still in flight may have arrived after the last look: look again before calling anything lost.
            collectNow();
            run.lost = Math.max(0, succeeded - collector.deliveredTo(healthy));
            if (run.missing > 0) {
                scenario.notes.add((run == scenario.service ? "" : run.label + ": ") + run.missing + " deliveries had not arrived when the wait ended: the server holds "
                        + pending + " of them pending (late, not lost)" + (run.notCreated > 0 ? ", " + run.notCreated
                        + " not yet made from Meta's webhooks (ingest queue)" : "") + (failed > 0 ? ", " + failed
                        + " failed" : ""));
            }
        } catch (Exception e) {
            run.lost = -1;
            scenario.notes.add("the server's database was not readable for the loss check: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- receivers' records

    private Collector collect(String prefix, int[] counted) {
        collectNow();
        Collector collector = new Collector(prefix, receivers.count(), counted);
        current = collector;
        return collector;
    }

    private void startPolling() {
        polling = true;
        poller = new Thread(() -> {
            while (polling) {
                try {
                    collectNow();
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // receiver busy: next round
                }
            }
        }, "receiver-poller");
        poller.setDaemon(true);
        poller.start();
    }

    private void collectNow() {
        synchronized (this) {
            List<Receivers.Arrival> arrivals = receivers.collect();
            Collector collector = current;
            if (collector != null) {
                synchronized (collector) {
                    arrivals.forEach(collector::accept);
                }
            }
        }
    }

    private void stopPolling() throws InterruptedException {
        polling = false;
        if (poller != null) {
            poller.interrupt();
            poller.join(5_000);
        }
    }

    // ---------------------------------------------------------------- set-up through the public API

    record Setup(TestAccount account, String number, List<String> targetIds) {
    }

    private Setup setup(String scenario, int targets, IntFunction<String> extraJson) {
        return setup(scenario, Collector.range(0, targets), extraJson);
    }

    /** An account and number with one target per receiver index given; {@code extraJson} gets the receiver index. */
    private Setup setup(String scenario, int[] receiverIndexes, IntFunction<String> extraJson) {
        TestAccount account = TestAccounts.create();
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        return new Setup(account, number, targets(account, scenario, receiverIndexes, extraJson));
    }

    /** One target of {@code account} per receiver index given; {@code extraJson} gets the receiver index. */
    private List<String> targets(TestAccount account, String scenario, int[] receiverIndexes, IntFunction<String> extraJson) {
        List<String> ids = new ArrayList<>();
        for (int i : receiverIndexes) {
            JsonArrayBuilder events = Json.createArrayBuilder();
            EVENTS.forEach(events::add);
            JsonObjectBuilder body = Json.createObjectBuilder().add("name", "bench " + scenario + " #" + i)
                    .add("url", receivers.url(i)).add("events", events);
            String json = body.build().toString();
            String extra = extraJson.apply(i);
            if (!extra.isEmpty()) {
                json = json.substring(0, json.length() - 1) + extra + "}";
            }
            Api.Reply reply = Api.post(account.path("/webhook-targets"), account.apiKey(), json);
            if (reply.status() != 201) {
                throw new IllegalStateException("cannot create target: " + reply);
            }
            ids.add(reply.json().getString("id"));
        }
        return ids;
    }

    /** Pauses the scenario's targets, so nothing it left behind competes with the next scenario. */
    /**
     * A test send to each target: a success closes its circuit, and the sweeper hands its backlog out.
     * Returns the test deliveries' ids: deliveries of their own, of test events no receiver counts.
     */
    private List<String> closeCircuits(Setup setup) {
        List<String> deliveries = new ArrayList<>();
        for (String id : setup.targetIds()) {
            Api.Reply test = Api.post(setup.account().path("/webhook-targets/" + id + "/test"), setup.account().apiKey(), "{}");
            if (test.status() == 200) {
                deliveries.add(test.json().getString("deliveryId"));
            }
        }
        return deliveries;
    }

    /** How many of these deliveries succeeded, read from the server's database. */
    private static long succeeded(List<String> deliveryIds) throws java.sql.SQLException {
        if (deliveryIds.isEmpty()) {
            return 0;
        }
        String marks = String.join(",", java.util.Collections.nCopies(deliveryIds.size(), "?"));
        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM delivery WHERE status = 'succeeded'"
                     + " AND id IN (" + marks + ")")) {
            for (int i = 0; i < deliveryIds.size(); i++) {
                query.setString(i + 1, deliveryIds.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private void disable(Setup setup) {
        for (String id : setup.targetIds()) {
            Api.send("PATCH", setup.account().path("/webhook-targets/" + id), setup.account().apiKey(),
                    "{\"enabled\":false}");
        }
    }
}
