package dev.pons.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.pons.it.MetricsEndpoint;

/**
 * What the benchmark reads from the running server: MicroProfile Metrics ({@code /metrics?scope=base}
 * for the heap, {@code ?scope=application} for Pons' delivery metrics) and the resident set of the
 * Liberty JVM from {@code /proc/<pid>/status}.
 */
public final class ServerProbe {

    private final Path pidFile;

    public ServerProbe(Path serverDir) {
        this.pidFile = serverDir.getParent().resolve(".pid").resolve(serverDir.getFileName() + ".pid");
    }

    /** Prometheus text, parsed: {@code name{label="v",...}} (without mp_scope) to value. */
    public static final class Metrics {
        final Map<String, Double> values = new HashMap<>();
        /** The server JVM's CPU time when these were read, user and system, in seconds (NaN: unknown). */
        double cpuSeconds = Double.NaN;
        /** Of that, what its JIT compiler threads used. */
        double jitCpuSeconds = Double.NaN;

        /** The value of {@code name} with exactly these labels (alternating name, value), or NaN. */
        public double get(String name, String... labels) {
            StringBuilder key = new StringBuilder(name).append('{');
            for (int i = 0; i < labels.length; i += 2) {
                key.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
            }
            Double value = values.get(key.append('}').toString());
            return value == null ? Double.NaN : value;
        }

        /** The sum of {@code name} over all its labels, or NaN if it is missing. */
        public double sum(String name) {
            String prefix = name + "{";
            return values.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToDouble(Map.Entry::getValue).reduce(Double::sum).orElse(Double.NaN);
        }

        public boolean isEmpty() {
            return values.isEmpty();
        }
    }

    public Metrics metrics(String scope) {
        try {
            // The server runs as in production: /metrics wants the metrics user, over https on Liberty.
            HttpResponse<String> response = MetricsEndpoint.scrape(scope).raw();
            Metrics metrics = new Metrics();
            metrics.cpuSeconds = cpuSeconds();
            metrics.jitCpuSeconds = jitCpuSeconds();
            if (response.statusCode() == 200) {
                parse(response.body(), metrics);
            }
            return metrics;
        } catch (IllegalStateException unreachable) {
            return new Metrics();
        }
    }

    static void parse(String text, Metrics into) {
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String series = line.substring(0, space).strip();
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1).strip());
            } catch (NumberFormatException e) {
                continue;
            }
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            StringBuilder labels = new StringBuilder();
            if (brace >= 0) {
                String inner = series.substring(brace + 1, series.lastIndexOf('}'));
                java.util.List<String> kept = new java.util.ArrayList<>();
                for (String label : inner.split(",")) {
                    String l = label.strip();
                    if (!l.isEmpty() && !l.startsWith("mp_scope=")) {
                        kept.add(l);
                    }
                }
                java.util.Collections.sort(kept);
                labels.append(String.join(",", kept));
            }
            into.values.put(name + "{" + labels + "}", value);
        }
    }

    /** Used heap of the server JVM in bytes (MicroProfile Metrics base gauge), or NaN. */
    public double usedHeapBytes() {
        return metrics("base").get("memory_usedHeap_bytes");
    }

    /**
     * Used heap right after a full collection the benchmark asks for ({@code jcmd <pid> GC.run}, the
     * JDK's own tool): the live set. Used heap sampled in passing mostly measures how lazily the
     * collector runs with the JVM's default maximum heap. NaN when jcmd is not there.
     */
    public double usedHeapAfterFullGcBytes() {
        long pid = pid();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (pid <= 0 || !Files.isExecutable(jcmd)) {
            return Double.NaN;
        }
        try {
            Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!gc.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || gc.exitValue() != 0) {
                gc.destroyForcibly();
                return Double.NaN;
            }
            return usedHeapBytes();
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /**
     * Writes the server's class histogram of live objects ({@code jcmd <pid> GC.class_histogram}) to
     * {@code file}: what the live heap is made of. False when jcmd is not there or failed.
     */
    public boolean writeClassHistogram(Path file) {
        long pid = pid();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (pid <= 0 || !Files.isExecutable(jcmd)) {
            return false;
        }
        try {
            Files.createDirectories(file.getParent());
            Process histogram = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            if (!histogram.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                histogram.destroyForcibly();
                return false;
            }
            return histogram.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long pid() {
        try {
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * CPU time the server JVM has used, user and system, from {@code /proc/<pid>/stat} (in clock ticks of
     * 1/100 s, Linux' USER_HZ), or NaN. Divided by the attempts made meanwhile it is what an attempt
     * costs the server, apart from the share of the cores the load generator and receivers take. It
     * still varies with the machine's speed at the time: compare runs made one after the other.
     */
    public double cpuSeconds() {
        long pid = pid();
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // After the command name in parentheses: state is field 3, utime 14, stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU time the server's JIT compiler threads have used ({@code /proc/<pid>/task/<tid>/stat} of the
     * threads named "C1/C2 CompilerThread…"), or NaN. On a small machine HotSpot's C2 compiler keeps one
     * core's worth busy for minutes after start under load: this tells compiling from serving.
     */
    public double jitCpuSeconds() {
        long pid = pid();
        if (pid <= 0) {
            return Double.NaN;
        }
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            double seconds = 0;
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.matches("C[12] CompilerThre.*")) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
                    }
                } catch (IOException gone) {
                    // The thread ended while the list was read.
                }
            }
            return seconds;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set of the server JVM in bytes (VmRSS), or -1. */
    public long rssBytes() {
        return procStatus("VmRSS:");
    }

    /** Peak resident set over the server JVM's life (VmHWM), or -1. */
    public long peakRssBytes() {
        return procStatus("VmHWM:");
    }

    private long procStatus(String field) {
        long pid = pid();
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Samples heap and RSS in the background, keeping the peaks until {@link #close()}. */
    public final class Sampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile double peakHeap = Double.NaN;
        private volatile long peakRss = -1;
        private volatile double peakPending = Double.NaN;

        Sampler(long intervalMs) {
            thread = new Thread(() -> {
                while (running) {
                    sampleOnce();
                    try {
                        Thread.sleep(intervalMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "server-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sampleOnce() {
            double heap = usedHeapBytes();
            if (!Double.isNaN(heap) && (Double.isNaN(peakHeap) || heap > peakHeap)) {
                peakHeap = heap;
            }
            long rss = rssBytes();
            if (rss > peakRss) {
                peakRss = rss;
            }
            double pending = metrics("application").get("pons_deliveries_pending");
            if (!Double.isNaN(pending) && (Double.isNaN(peakPending) || pending > peakPending)) {
                peakPending = pending;
            }
        }

        public double peakHeapBytes() {
            return peakHeap;
        }

        public long peakRssBytes() {
            return peakRss;
        }

        public double peakPending() {
            return peakPending;
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sampleOnce();
        }
    }

    public Sampler sample(long intervalMs) {
        return new Sampler(intervalMs);
    }
}
