package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server of its own, started as an operator who forgot the checklist would: no configuration profile, Meta's app
 * secret left at the dev profile's public value and no verify token. The application must not start: the log names
 * both keys (and neither value), readiness is never UP and the API does not serve. A copy of the built server in the
 * build's wlp (like dev.pons.topology's), on free loopback ports, with the default H2 database and embedded engine.
 */
class SafeStartIT {

    static final String NAME = "pons-unsafe";
    static final String PUBLIC_APP_SECRET = "dev-app-secret";

    static Path wlp;
    static Path serverDir;
    static int httpPort;
    static String log;

    @BeforeAll
    static void startRefusingServer() throws Exception {
        Path template = Path.of(System.getProperty("pons.it.serverDir", "target/liberty/wlp/usr/servers/defaultServer"))
                .toAbsolutePath().normalize();
        wlp = template.resolve("../../..").normalize();
        serverDir = wlp.resolve("usr/servers").resolve(NAME);
        stop();
        copy(template, serverDir);
        httpPort = freePort();
        Files.writeString(serverDir.resolve("bootstrap.properties"), String.join("\n",
                "http.host=127.0.0.1",
                "http.port=" + httpPort,
                "https.port=" + freePort(),
                "jms.port=" + freePort(),
                ""));
        Files.writeString(serverDir.resolve("jvm.options"), String.join("\n",
                "-Dpons.admin.token=an-operator-token-of-its-own-1234",
                "-Dpons.meta.app-secret=" + PUBLIC_APP_SECRET,
                "-Dpons.secrets.encryption-key=cG9ucy1pbnRlZ3JhdGlvbi10ZXN0cy1rZXktMDAzMiE=",
                ""));

        ProcessBuilder start = server("start", "--clean");
        start.environment().remove("MP_CONFIG_PROFILE");
        Process process = start.start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "server start returned");

        Path messages = serverDir.resolve("logs/messages.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            log = Files.exists(messages) ? Files.readString(messages, StandardCharsets.UTF_8) : "";
            // CWWKZ0002E: an exception occurred while starting the application; CWWKZ0001I: it started.
            if (log.contains("CWWKZ0002E") || log.contains("CWWKZ0001I")) {
                break;
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        stop();
    }

    @Test
    void theLogNamesEachOffendingKeyAndNoValue() {
        assertTrue(log.contains("Refusing to start: pons.meta.app-secret has the public development value"), log);
        assertTrue(log.contains("Refusing to start: pons.meta.verify-token is not set"), log);
        assertFalse(log.contains("Refusing to start: pons.admin.token"), "the admin token is an operator's own");
        assertFalse(log.contains("Refusing to start: pons.secrets.encryption-key"), "the key is configured");
        assertFalse(log.contains(PUBLIC_APP_SECRET), "the value itself is never logged");
        assertTrue(log.contains("CWWKZ0002E"), "the application did not start");
        assertFalse(log.contains("CWWKZ0001I: Application pons started"), "the application did not start");
        assertFalse(log.contains("database schema at version"), "nothing ran: not even the migrations");
    }

    @Test
    void readinessIsNotUpAndTheApiDoesNotServe() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertNotEquals(200, ready.statusCode(), ready.body());
            assertFalse(ready.body().contains("\"UP\""), ready.body());
            Thread.sleep(500);
        }
        HttpResponse<String> account = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/api/v1/accounts"))
                .header("Authorization", "Bearer an-operator-token-of-its-own-1234")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"unsafe\"}"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, account.statusCode(), account.body());
    }

    private static ProcessBuilder server(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(wlp.resolve("bin/server").toString(), args[0], NAME));
        command.addAll(List.of(args).subList(1, args.length));
        ProcessBuilder builder = new ProcessBuilder(command).directory(wlp.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(wlp.resolve("usr/servers/" + NAME + "-start.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    private static void stop() throws Exception {
        if (Files.exists(serverDir.resolve("server.xml"))) {
            server("stop").start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** The built configuration and application, not its data, logs or generated settings. */
    private static void copy(Path template, Path target) throws IOException {
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Set<String> skipped = Set.of("logs", "workarea", "h2", "messaging", "tranlog", "configDropins", "jvm.options",
                "bootstrap.properties", "server.env", "resources");
        try (Stream<Path> files = Files.walk(template)) {
            for (Path source : files.toList()) {
                Path relative = template.relativize(source);
                if (relative.getNameCount() > 0 && skipped.contains(relative.getName(0).toString())) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
