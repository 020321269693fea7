package dev.pons.tools;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a server command in the background for the integration tests, e.g. Payara Micro through
 * {@code deploy/payara/run.sh} (profile {@code payara}): the build starts it before the tests and stops it after.
 *
 * <pre>
 *   start [--options] -- command args...   spawns a background "run" process that starts the command, waits
 *                                           until ready-url answers 200, exits (pre-integration-test)
 *   stop  --dir=...                         tells that process to stop the command, waits for it (post-integration-test)
 *   run   [--options] -- command args...    the process itself: Ctrl-C stops the command
 * </pre>
 *
 * Options ({@code --name=value}, before {@code --}): dir (pid, log and control files), name (for messages and the
 * log file {@code <name>.log}), ready-url, ready-contains (text the 200 answer must contain: Payara answers
 * /health/ready with 200 and no checks before the application is deployed), start-timeout (seconds, default 300), watch-parent (start: stop the
 * command once the calling process, i.e. Maven, is gone, so a build that dies half way leaves nothing running).
 * The command inherits this process' environment (exec-maven-plugin's environmentVariables).
 */
public final class BackgroundServer {

    /** First argument of the run process, so a pid file left behind never makes us stop a stranger. */
    private static final String RUNNER_MARK = "-Dpons.background-server.runner=true";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    private final Map<String, String> options;
    private final List<String> command;
    private final Path dir;
    private final String name;

    private BackgroundServer(Map<String, String> options, List<String> command) {
        this.options = options;
        this.command = command;
        this.dir = Path.of(option("dir", "target/background-server")).toAbsolutePath();
        this.name = option("name", "server");
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BackgroundServer start|stop|run [--name=value ...] [-- command args...]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        List<String> command = new ArrayList<>();
        int i = 1;
        for (; i < args.length && !args[i].equals("--"); i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("not --name=value: " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        for (i++; i < args.length; i++) {
            command.add(args[i]);
        }
        BackgroundServer server = new BackgroundServer(options, command);
        switch (args[0]) {
            case "start" -> server.start();
            case "stop" -> server.stop();
            case "run" -> server.run();
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
        System.exit(0);
    }

    private String option(String key, String fallback) {
        String value = options.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    private Path pidFile() {
        return dir.resolve(name + ".pid");
    }

    private Path stopFile() {
        return dir.resolve(name + ".stop");
    }

    private Path logFile() {
        return dir.resolve(name + ".log");
    }

    // ---------------------------------------------------------------- start / stop (short-lived)

    private void start() throws Exception {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("start: no command after --");
        }
        Files.createDirectories(dir);
        if (running().isPresent()) {
            System.out.println("[" + name + "] a previous one is still running (" + pidFile() + "): stopping it first");
            stop();
        }
        URI readyUrl = URI.create(option("ready-url", "http://127.0.0.1:8080/health/ready"));
        if (listening(readyUrl)) {
            throw new IllegalStateException("something already listens on " + readyUrl.getHost() + ":" + readyUrl.getPort()
                    + "; pick another port (-Dpayara.http.port=...)");
        }
        Files.deleteIfExists(stopFile());
        Files.deleteIfExists(logFile());

        List<String> runner = new ArrayList<>();
        runner.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        runner.add(RUNNER_MARK);
        runner.add("-Xmx64m");
        runner.add("-cp");
        runner.add(System.getProperty("java.class.path"));
        runner.add(BackgroundServer.class.getName());
        runner.add("run");
        options.forEach((key, value) -> {
            if (!key.equals("watch-parent")) {
                runner.add("--" + key + "=" + value);
            }
        });
        if (Boolean.parseBoolean(option("watch-parent", "false"))) {
            ProcessHandle.current().parent().ifPresent(parent -> runner.add("--watch-pid=" + parent.pid()));
        }
        runner.add("--");
        runner.addAll(command);
        Process process = new ProcessBuilder(runner)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        System.out.println("[" + name + "] starting " + String.join(" ", command) + " (pid " + process.pid()
                + ", log " + logFile() + ")");
        long started = System.nanoTime();
        Duration timeout = Duration.ofSeconds(Long.parseLong(option("start-timeout", "300")));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited (code " + process.exitValue() + ") before it was ready; see "
                        + logFile() + ":\n" + tail(logFile()));
            }
            if (System.nanoTime() - started > timeout.toNanos()) {
                stop();
                throw new IllegalStateException(name + " was not ready within " + timeout + " (" + readyUrl + "); see "
                        + logFile() + ":\n" + tail(logFile()));
            }
            try {
                HttpResponse<String> reply = client.send(HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (reply.statusCode() == 200 && reply.body().contains(option("ready-contains", ""))) {
                    System.out.printf("[%s] ready after %.1f s: %s%n", name, (System.nanoTime() - started) / 1e9, reply.body());
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
    }

    private void stop() throws Exception {
        Optional<ProcessHandle> runner = running();
        if (runner.isEmpty()) {
            System.out.println("[" + name + "] not running");
            return;
        }
        long pid = runner.get().pid();
        Files.writeString(stopFile(), "stop\n");
        if (!awaitGone(pid, STOP_TIMEOUT.plusSeconds(30))) {
            System.out.println("[" + name + "] did not stop in time: terminating pid " + pid);
            runner.get().destroy();
            awaitGone(pid, STOP_TIMEOUT);
        }
        Files.deleteIfExists(stopFile());
        System.out.println("[" + name + "] stopped");
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

    private Process server;

    private void run() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(pidFile(), ProcessHandle.current().pid() + "\n");
        Optional<Long> watched = Optional.ofNullable(options.get("watch-pid")).map(Long::parseLong);
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, name + "-shutdown"));
        try {
            // Output goes to our own stdout, which start pointed at the log file.
            server = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            log("started pid " + server.pid() + ": " + String.join(" ", command));
            while (true) {
                if (Files.exists(stopFile())) {
                    log("stop requested");
                    break;
                }
                if (watched.isPresent() && !alive(watched.get())) {
                    log("the build (pid " + watched.get() + ") is gone: stopping");
                    break;
                }
                if (!server.isAlive()) {
                    log("exited by itself (code " + server.exitValue() + ")");
                    break;
                }
                Thread.sleep(500);
            }
        } finally {
            shutdown();
        }
    }

    private synchronized void shutdown() {
        if (server != null && server.isAlive()) {
            log("stopping pid " + server.pid());
            server.destroy(); // SIGTERM: Payara's shutdown hook stops it cleanly
            try {
                if (!server.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    log("did not stop in " + STOP_TIMEOUT + ": killing it");
                    server.destroyForcibly();
                    server.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log("stopped");
        }
        server = null;
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException ignored) {
            // best effort
        }
    }

    // ---------------------------------------------------------------- helpers

    private static boolean listening(URI url) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 300);
            return true;
        } catch (IOException nothing) {
            return false;
        }
    }

    /** As in ProdTopology: looked up afresh each time, since a stepped clock confuses a kept ProcessHandle. */
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

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void log(String message) {
        System.out.println("[" + name + " " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }
}
