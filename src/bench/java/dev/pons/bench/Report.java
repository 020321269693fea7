package dev.pons.bench;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's results: the table it prints, the targets it checks, the JSON it writes. */
public final class Report {

    /** One measured run: a scenario through Pons, or the raw limit beside it. */
    public static final class Run {
        public String label;
        public double seconds;
        public long events;
        public long posts;
        public long postErrors;
        public long expected;
        public long delivered;
        public long missing;
        /** Extra arrivals of a (message, target) pair under the same X-Pons-Delivery-Id: allowed (at least once). */
        public long duplicatesSameId;
        /** (message, target) pairs that arrived under two delivery ids: never allowed. */
        public long duplicatesOtherId;
        /** Messages delivered under two event ids: never allowed (ingest deduplicates). */
        public long duplicatedEvents;
        public long nonOkArrivals;
        /** From the server's database once the wait ended (-1: not read). */
        public long serverSucceeded = -1;
        public long serverPending = -1;
        public long serverFailed = -1;
        /** Expected deliveries the server had not made yet (their Meta webhooks still in the ingest queue). */
        public long notCreated;
        /** Deliveries the server counts as succeeded that no receiver saw (-1: unknown). */
        public long lost;
        public double eventsPerSec = Double.NaN;
        public double deliveriesPerSec = Double.NaN;
        public double p50 = Double.NaN;
        public double p95 = Double.NaN;
        public double p99 = Double.NaN;
        public long latencySamples;
        /** Part of the latency spent before the successful attempt was signed (Meta POST -> X-Pons-Timestamp, ms resolution). */
        public double signedP50 = Double.NaN;
        public double signedP95 = Double.NaN;
        public double signedP99 = Double.NaN;
        /** The slowest 1 % of the arrived deliveries: how many, when the first of their Meta POSTs was sent, over how long. */
        public long slowestCount;
        public long slowestFirstSentMillis;
        public double slowestSentOverMs = Double.NaN;

        JsonObjectBuilder json() {
            return Json.createObjectBuilder().add("label", label).add("seconds", round(seconds))
                    .add("events", events).add("posts", posts).add("postErrors", postErrors)
                    .add("expectedDeliveries", expected).add("delivered", delivered).add("missing", missing)
                    .add("duplicatesSameDeliveryId", duplicatesSameId).add("duplicatesOtherDeliveryId", duplicatesOtherId)
                    .add("duplicatedEvents", duplicatedEvents).add("nonOkArrivals", nonOkArrivals)
                    .add("server", Json.createObjectBuilder().add("succeeded", serverSucceeded).add("pending", serverPending)
                            .add("failed", serverFailed).add("notCreatedYet", notCreated).add("lost", lost))
                    .add("eventsPerSec", num(eventsPerSec)).add("deliveriesPerSec", num(deliveriesPerSec))
                    .add("latencyMs", Json.createObjectBuilder().add("p50", num(p50)).add("p95", num(p95))
                            .add("p99", num(p99)).add("samples", latencySamples)
                            .add("note", "null where the percentile falls on a delivery that had not arrived when the wait ended"))
                    .add("metaPostToAttemptSignedMs", Json.createObjectBuilder().add("p50", num(signedP50))
                            .add("p95", num(signedP95)).add("p99", num(signedP99)))
                    .add("slowestPercent", Json.createObjectBuilder().add("deliveries", slowestCount)
                            .add("firstSent", slowestCount > 0 ? java.time.Instant.ofEpochMilli(slowestFirstSentMillis).toString() : "")
                            .add("sentOverMs", num(slowestSentOverMs)));
        }
    }

    /** A scenario: the run through Pons, its raw-limit counterpart and what the server showed meanwhile. */
    public static final class Scenario {
        public final String id;
        public final String title;
        public final Run service = new Run();
        public Run raw;
        public String rawNote;
        public double peakRssMiB = Double.NaN;
        public double peakHeapMiB = Double.NaN;
        /** The scenario's wall clock: set-up, load, drain, raw run. */
        public double wallSeconds = Double.NaN;
        /** Runs of groups of its targets measured apart from {@link #service} (S7's FIFO target), by name. */
        public final Map<String, Run> groups = new LinkedHashMap<>();
        public final Map<String, Double> extra = new LinkedHashMap<>();
        public final Map<String, Double> server = new LinkedHashMap<>();
        public final List<String> notes = new ArrayList<>();

        Scenario(String id, String title) {
            this.id = id;
            this.title = title;
            service.label = id + " " + title;
        }

        public double throughputRatio() {
            return raw == null ? Double.NaN : service.deliveriesPerSec / raw.deliveriesPerSec;
        }

        /**
         * Nothing lost, failed or duplicated, in its service run and in every group; what had not arrived yet is
         * still pending at the server (late).
         */
        public Boolean lossless() {
            Boolean all = lossless(service);
            for (Run group : groups.values()) {
                Boolean one = lossless(group);
                if (Boolean.FALSE.equals(one)) {
                    return false;
                }
                if (one == null) {
                    all = Boolean.FALSE.equals(all) ? all : null;
                }
            }
            return all;
        }

        private static Boolean lossless(Run r) {
            if (r.duplicatesOtherId > 0 || r.duplicatedEvents > 0 || r.lost > 0 || r.serverFailed > 0) {
                return false;
            }
            if (r.missing == 0) {
                return true;
            }
            if (r.lost < 0 || r.serverPending < 0) {
                return null;
            }
            return r.missing <= r.serverPending + r.notCreated;
        }
    }

    public record Check(String name, String target, String measured, Boolean passed) {
        String verdict() {
            return passed == null ? "n/a" : passed ? "PASS" : "FAIL";
        }
    }

    public final Map<String, String> machine = new LinkedHashMap<>();
    public final BenchConfig config;
    public final List<Scenario> scenarios = new ArrayList<>();
    public final List<Check> checks = new ArrayList<>();
    public final Instant started = Instant.now();

    public Report(BenchConfig config) {
        this.config = config;
        // Figures from the two topologies differ by far more than noise: a table must say which one it is.
        machine.put("topology", System.getProperty("bench.topology", "unknown (no -Dbench.topology)"));
        machine.put("nproc", String.valueOf(Runtime.getRuntime().availableProcessors()));
        machine.put("cpu", cpuModel());
        machine.put("memTotal", memTotal());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("loadavgAtStart", loadAverage());
    }

    /** /proc/loadavg's 1, 5 and 15 minute figures: other work on the machine skews every number here. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public Scenario scenario(String id) {
        return scenarios.stream().filter(s -> s.id.equals(id)).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- targets

    /**
     * S9's targets: the latency at 200 deliveries/s (one message per Meta POST), and 1,000/s sustained
     * with a bounded p95; and, for the record, the highest step sustained.
     */
    private void judgeSweep() {
        Scenario at200 = scenario("S9-200");
        if (at200 != null) {
            checks.add(new Check("S9 p95 at 200 deliveries/s", "<= 25 ms", ms(at200.service.p95) + " ms",
                    measured(at200.service.p95) ? at200.service.p95 <= 25 : null));
            checks.add(new Check("S9 p99 at 200 deliveries/s", "<= 50 ms", ms(at200.service.p99) + " ms",
                    measured(at200.service.p99) ? at200.service.p99 <= 50 : null));
        }
        Scenario at1000 = scenario("S9-1000");
        if (at1000 != null) {
            boolean sustained = sustained(at1000);
            checks.add(new Check("S9 1,000 deliveries/s sustained, p95", "sustained, <= 100 ms",
                    (sustained ? "sustained, " : "not sustained, ") + ms(at1000.service.p95) + " ms",
                    sustained && measured(at1000.service.p95) ? at1000.service.p95 <= 100 : Boolean.FALSE));
        }
        Scenario highest = null;
        for (Scenario s : scenarios) {
            if (s.id.startsWith("S9-") && sustained(s)) {
                highest = s;
            }
        }
        if (highest != null) {
            checks.add(new Check("S9 highest rate sustained", "the curve", highest.id.substring(3) + " deliveries/s, p50 / p95 / p99 "
                    + ms(highest.service.p50) + " / " + ms(highest.service.p95) + " / " + ms(highest.service.p99) + " ms", null));
        }
    }

    /**
     * A fixed rate kept up with: the load ran its full time, everything arrived, and at no less than 90 % of
     * the offered rate (a backlog that drains long after the load ended has not kept up, even if the load ran).
     */
    static boolean sustained(Scenario s) {
        Double offered = s.extra.get("sweep.deliveriesPerSec");
        return !s.extra.containsKey("secondsSustained") && s.service.missing == 0
                && (offered == null || s.service.deliveriesPerSec >= 0.9 * offered);
    }

    /** The targets, judged on what was measured. */
    public void judge() {
        checks.clear();
        Scenario s1 = scenario("S1");
        if (s1 != null) {
            double ratio = s1.throughputRatio();
            checks.add(new Check("S1 throughput vs raw (milestone)", ">= 35%", pct(ratio), known(ratio) ? ratio >= 0.35 : null));
            checks.add(new Check("S1 throughput vs raw", ">= 50%", pct(ratio), known(ratio) ? ratio >= 0.5 : null));
        }
        Scenario s2 = scenario("S2");
        if (s2 != null) {
            checks.add(new Check("S2 p95 at " + fmt(config.rate()) + " events/s", "<= 25 ms", ms(s2.service.p95) + " ms",
                    measured(s2.service.p95) ? s2.service.p95 <= 25 : null));
            checks.add(new Check("S2 p99 at " + fmt(config.rate()) + " events/s", "<= 100 ms", ms(s2.service.p99) + " ms",
                    measured(s2.service.p99) ? s2.service.p99 <= 100 : null));
        }
        Scenario s3 = scenario("S3");
        if (s3 != null && s2 != null) {
            double limit = s2.service.p95 * 1.10;
            checks.add(new Check("S3 healthy p95 within 10% of S2", "<= " + ms(limit) + " ms", ms(s3.service.p95) + " ms",
                    measured(s3.service.p95) && known(limit) ? s3.service.p95 <= limit : null));
        }
        Scenario s4 = scenario("S4");
        if (s4 != null) {
            Double heap = s4.extra.get("pendingPeakHeapMiB");
            checks.add(new Check("S4 peak used heap, backlog pending", "< 512 MiB", mib(heap == null ? Double.NaN : heap),
                    heap != null && known(heap) ? heap < 512 : null));
            Double live = s4.extra.get("pendingHeapAfterFullGcMiB");
            checks.add(new Check("S4 live heap (after full GC), backlog pending", "< 512 MiB",
                    mib(live == null ? Double.NaN : live), live != null && known(live) ? live < 512 : null));
            Double drain = s4.extra.get("drainDeliveriesPerSec");
            double s1Rate = s1 == null ? Double.NaN : s1.service.deliveriesPerSec;
            checks.add(new Check("S4 drain rate >= S1 rate", ">= " + rate(s1Rate) + "/s", rate(drain == null ? Double.NaN : drain) + "/s",
                    drain != null && known(drain) && known(s1Rate) ? drain >= s1Rate : null));
        }
        Scenario s7 = scenario("S7");
        if (s7 != null) {
            Double outOfOrder = s7.extra.get("fifo.outOfOrder");
            checks.add(new Check("S7 FIFO first arrivals in acceptance order", "0 out of order",
                    outOfOrder == null ? "-" : fmt(outOfOrder) + " out of order of " + s7.groups.get("fifo").delivered,
                    outOfOrder == null || !known(outOfOrder) ? null : outOfOrder == 0));
        }
        Scenario s8 = scenario("S8");
        if (s8 != null) {
            Double busiest = s8.extra.get("maxAttemptsInAnySlidingSecond");
            double allowed = Math.floor(config.rateLimit() * 1.1);
            checks.add(new Check("S8 attempts in any sliding second", "<= " + fmt(allowed) + " (limit + 10%)",
                    busiest == null ? "-" : fmt(busiest), busiest == null || !known(busiest) ? null : busiest <= allowed));
            Double average = s8.extra.get("attemptsPerSec");
            double least = config.rateLimit() * 0.7;
            checks.add(new Check("S8 average rate over the drain", ">= " + fmt(least) + "/s (70% of limit)",
                    average == null ? "-" : rate(average) + "/s", average == null || !known(average) ? null : average >= least));
        }
        judgeSweep();
        for (Scenario s : scenarios) {
            Run r = s.service;
            for (Run group : s.groups.values()) {
                r = sum(r, group);
            }
            checks.add(new Check(s.id + " nothing lost or duplicated", "0 lost/failed/other-id/double",
                    (r.lost < 0 ? "? lost" : r.lost + " lost") + ", " + Math.max(0, r.serverFailed) + " failed, "
                            + r.duplicatesOtherId + " under another delivery id, " + r.duplicatedEvents + " double events; "
                            + r.duplicatesSameId + " same-id repeats" + (r.missing > 0 ? "; " + r.missing
                            + " late (still pending when the wait ended)" : ""),
                    s.lossless()));
        }
    }

    /** The counts of two runs added up, for the loss check's line. */
    private static Run sum(Run a, Run b) {
        Run r = new Run();
        r.lost = a.lost < 0 || b.lost < 0 ? -1 : a.lost + b.lost;
        r.serverFailed = Math.max(0, a.serverFailed) + Math.max(0, b.serverFailed);
        r.duplicatesOtherId = a.duplicatesOtherId + b.duplicatesOtherId;
        r.duplicatedEvents = a.duplicatedEvents + b.duplicatedEvents;
        r.duplicatesSameId = a.duplicatesSameId + b.duplicatesSameId;
        r.missing = a.missing + b.missing;
        return r;
    }

    // ---------------------------------------------------------------- printing

    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("\nPons benchmark, ").append(started).append('\n');
        out.append("topology: ").append(machine.get("topology"));
        if (machine.containsKey("database")) {
            out.append(" (").append(machine.get("database")).append(')');
        }
        out.append('\n');
        out.append("machine: ").append(machine.get("nproc")).append(" cores (nproc), ").append(machine.get("cpu"))
                .append(", ").append(machine.get("memTotal")).append(", ").append(machine.get("java"))
                .append("; load average ").append(machine.get("loadavgAtStart")).append(" at start, ")
                .append(machine.getOrDefault("loadavgAtEnd", "?")).append(" at end").append('\n');
        out.append(String.format(Locale.ROOT, "load: %s s per scenario, raw %s s, %s events/s fixed rate, %d-%d messages per"
                        + " Meta POST, %d targets (fan-out %d), backlog %,d deliveries, S8 rate limit %d/s, S9 sweep %s deliveries/s%n",
                fmt(config.seconds()), fmt(config.rawSeconds()), fmt(config.rate()), config.minBatch(), config.maxBatch(),
                config.targets(), config.fanout(), config.backlog(), config.rateLimit(), config.sweep()));
        if (machine.containsKey("warmupSeconds")) {
            out.append("warm-up: ").append(machine.get("warmupSeconds")).append(" s of closed-loop load; the server's JIT compiler"
                    + " used ").append(machine.get("warmupJitCoresLastRound")).append(" cores in its last round\n");
        }
        String header = String.format(Locale.ROOT, "%-44s %9s %9s %7s %15s %15s %15s %9s %9s %16s %s%n", "scenario",
                "events/s", "deliv/s", "vs raw", "p50 ms (x raw)", "p95 ms (x raw)", "p99 ms (x raw)", "peak RSS",
                "peak heap", "delivered/expect", "lost/dup");
        out.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (Scenario s : scenarios) {
            Run r = s.service;
            Run raw = s.raw;
            out.append(String.format(Locale.ROOT, "%-44s %9s %9s %7s %15s %15s %15s %9s %9s %16s %s%n", cut(r.label, 44),
                    rate(r.eventsPerSec), rate(r.deliveriesPerSec), pct(s.throughputRatio()),
                    withRatio(r.p50, raw == null ? Double.NaN : raw.p50), withRatio(r.p95, raw == null ? Double.NaN : raw.p95),
                    withRatio(r.p99, raw == null ? Double.NaN : raw.p99), mib(s.peakRssMiB), mib(s.peakHeapMiB),
                    r.delivered + "/" + r.expected, r.missing + "/" + r.duplicatesOtherId));
            for (Map.Entry<String, Run> group : s.groups.entrySet()) {
                Run g = group.getValue();
                out.append(String.format(Locale.ROOT, "%-44s %9s %9s %7s %15s %15s %15s %9s %9s %16s %s%n",
                        cut("   " + group.getKey() + ": " + g.label, 44), rate(g.eventsPerSec), rate(g.deliveriesPerSec), "",
                        ms(g.p50), ms(g.p95), ms(g.p99), "", "", g.delivered + "/" + g.expected,
                        g.missing + "/" + g.duplicatesOtherId));
            }
            if (raw != null) {
                out.append(String.format(Locale.ROOT, "%-44s %9s %9s %7s %15s %15s %15s %9s %9s %16s %s%n",
                        cut("   raw: " + (s.rawNote != null ? s.rawNote : raw.label), 44), rate(raw.eventsPerSec),
                        rate(raw.deliveriesPerSec), "100%", ms(raw.p50), ms(raw.p95), ms(raw.p99), "", "",
                        raw.delivered + "/" + raw.expected, raw.missing + "/-"));
            }
            if (known(r.signedP50)) {
                out.append("   of which Meta POST -> attempt signed (ingest, fan-out, queue): p50 ").append(ms(r.signedP50))
                        .append(" / p95 ").append(ms(r.signedP95)).append(" / p99 ").append(ms(r.signedP99)).append(" ms\n");
            }
            if (r.slowestCount > 0) {
                out.append("   the slowest 1 % (").append(r.slowestCount).append("): their Meta POSTs sent over ")
                        .append(ms(r.slowestSentOverMs)).append(" ms from ")
                        .append(java.time.Instant.ofEpochMilli(r.slowestFirstSentMillis)).append('\n');
            }
            for (Map.Entry<String, Double> e : s.extra.entrySet()) {
                out.append("   ").append(e.getKey()).append(": ").append(fmt(e.getValue())).append('\n');
            }
            if (!s.server.isEmpty()) {
                out.append("   server (/metrics?scope=application; CPU from /proc):");
                s.server.forEach((k, v) -> out.append(' ').append(k).append('=').append(fmt(v)));
                out.append('\n');
            }
            for (String note : s.notes) {
                out.append("   note: ").append(note).append('\n');
            }
            out.append("   wall clock: ").append(fmt(s.wallSeconds)).append(" s\n");
        }
        out.append("\nraw: the same generator and JDK client POSTing signed Meta bodies straight to the same receivers, one"
                + " POST per event and receiver as Pons sends them (one message per body). vs raw: deliveries/s as a share"
                + " of raw POSTs/s; (x raw): latency as a multiple of the raw one. Latency: Meta POST sent -> first 200 at"
                + " the receiver; deliveries/s counted from the end of the warm-up to the last arrival.\n");
        out.append("late: the percentile falls on deliveries that had not arrived when the wait ended"
                + " (bench.drain.seconds); they are counted as infinitely late, never left out.\n");
        out.append("\ntargets:\n");
        for (Check c : checks) {
            out.append(String.format(Locale.ROOT, "  [%-4s] %-44s target %-22s measured %s%n", c.verdict(), c.name(),
                    c.target(), c.measured()));
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- JSON

    public JsonObject json() {
        JsonObjectBuilder machineJson = Json.createObjectBuilder();
        machine.forEach(machineJson::add);
        JsonObjectBuilder configJson = Json.createObjectBuilder().add("seconds", config.seconds())
                .add("rawSeconds", config.rawSeconds()).add("rate", config.rate()).add("targets", config.targets())
                .add("fanout", config.fanout()).add("backlog", config.backlog()).add("minBatch", config.minBatch())
                .add("maxBatch", config.maxBatch()).add("ingestThreads", config.ingestThreads())
                .add("rawThreads", config.rawThreads()).add("window", config.window())
                .add("drainSeconds", config.drainSeconds()).add("overloadSeconds", config.overloadSeconds())
                .add("warmupSeconds", config.warmupSeconds()).add("warmupMaxSeconds", config.warmupMaxSeconds()).add("rateLimit", config.rateLimit());
        JsonArrayBuilder scenariosJson = Json.createArrayBuilder();
        for (Scenario s : scenarios) {
            JsonObjectBuilder extra = Json.createObjectBuilder();
            s.extra.forEach((k, v) -> extra.add(k, num(v)));
            JsonObjectBuilder server = Json.createObjectBuilder();
            s.server.forEach((k, v) -> server.add(k, num(v)));
            JsonArrayBuilder notes = Json.createArrayBuilder();
            s.notes.forEach(notes::add);
            JsonObjectBuilder ratios = Json.createObjectBuilder()
                    .add("deliveriesPerSec", num(s.throughputRatio()));
            if (s.raw != null) {
                ratios.add("p50", num(s.service.p50 / s.raw.p50)).add("p95", num(s.service.p95 / s.raw.p95))
                        .add("p99", num(s.service.p99 / s.raw.p99));
            }
            JsonObjectBuilder scenario = Json.createObjectBuilder().add("id", s.id).add("title", s.title)
                    .add("service", s.service.json())
                    .add("ratioToRaw", ratios)
                    .add("peakRssMiB", num(s.peakRssMiB)).add("peakHeapMiB", num(s.peakHeapMiB))
                    .add("wallSeconds", num(s.wallSeconds))
                    .add("extra", extra).add("serverMetrics", server).add("notes", notes);
            if (s.raw != null) {
                scenario.add("raw", s.raw.json().add("note", s.rawNote == null ? "" : s.rawNote));
            }
            if (!s.groups.isEmpty()) {
                JsonObjectBuilder groups = Json.createObjectBuilder();
                s.groups.forEach((name, run) -> groups.add(name, run.json()));
                scenario.add("groups", groups);
            }
            scenariosJson.add(scenario);
        }
        JsonArrayBuilder checksJson = Json.createArrayBuilder();
        for (Check c : checks) {
            checksJson.add(Json.createObjectBuilder().add("name", c.name()).add("target", c.target())
                    .add("measured", c.measured()).add("verdict", c.verdict()));
        }
        return Json.createObjectBuilder().add("started", started.toString()).add("topology", machine.get("topology"))
                .add("machine", machineJson)
                .add("config", configJson).add("scenarios", scenariosJson).add("targets", checksJson).build();
    }

    public Path write() throws IOException {
        Path file = config.output();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        JsonWriterFactory factory = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
        StringWriter text = new StringWriter();
        try (JsonWriter writer = factory.createWriter(text)) {
            writer.writeObject(json());
        }
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        return file;
    }

    // ---------------------------------------------------------------- formatting

    static boolean known(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v);
    }

    /** Measured, possibly infinite (a percentile that fell on a delivery still missing). */
    static boolean measured(double v) {
        return !Double.isNaN(v);
    }

    private static jakarta.json.JsonValue num(double v) {
        return known(v) ? Json.createValue(round(v)) : jakarta.json.JsonValue.NULL;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static String fmt(double v) {
        if (!known(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    static String rate(double v) {
        return known(v) ? String.format(Locale.ROOT, "%.1f", v) : "-";
    }

    static String ms(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "late";
        }
        return known(v) ? String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v) : "-";
    }

    static String pct(double ratio) {
        return known(ratio) ? String.format(Locale.ROOT, "%.1f%%", ratio * 100) : "-";
    }

    static String mib(double v) {
        return known(v) ? String.format(Locale.ROOT, "%.0f MiB", v) : "-";
    }

    private static String withRatio(double value, double raw) {
        if (!known(value)) {
            return ms(value);
        }
        return known(raw) && raw > 0 ? ms(value) + " (x" + fmt(value / raw) + ")" : ms(value);
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "unknown";
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.substring(9).replace("kB", "").strip());
                    return String.format(Locale.ROOT, "%.1f GiB RAM", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return "RAM unknown";
    }
}
