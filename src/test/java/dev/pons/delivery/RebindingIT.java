package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * A target's name that points elsewhere after it was saved (DNS rebinding) costs its attempt, and the
 * server never connects there. The IT server looks names up in a hosts file of the build's
 * (jdk.net.hosts.file, without caching), which this test rewrites: no DNS server is involved.
 */
class RebindingIT {

    private static final Path HOSTS = Path.of(System.getProperty("pons.it.hostsFile", "target/it-hosts"));
    private static final String NAME = "rebound.pons.test";

    private final String original = read();
    /** What the file held, ending a line: a name appended to its last line would take that line's address. */
    private final String lines = original.endsWith("\n") ? original : original + "\n";

    @AfterEach
    void restoreHosts() throws IOException {
        Files.writeString(HOSTS, original);
    }

    @Test
    void aNameThatTurnsToARefusedAddressFailsItsAttemptAndIsNeverConnected() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try {
                    listener.setSoTimeout(100);
                    while (!listener.isClosed()) {
                        try {
                            listener.accept().close();
                            connections.incrementAndGet();
                        } catch (SocketTimeoutException next) {
                            // keep listening until the test closes the socket
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            // Saved while the name is loopback, which the IT server allows.
            Files.writeString(HOSTS, lines + "127.0.0.1 " + NAME + "\n");
            TestAccount account = TestAccounts.create();
            String url = "https://" + NAME + ":" + listener.getLocalPort() + "/hook";
            Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(),
                    "{\"url\":\"" + url + "\",\"events\":[\"message.inbound.received\"],\"maxAttempts\":1}");
            assertEquals(201, created.status(), created.body());
            String targetId = created.json().getString("id");

            // Then it names 0.0.0.0, which reaches this host on Linux: connecting there would reach the listener.
            Files.writeString(HOSTS, lines + "0.0.0.0 " + NAME + "\n");
            Api.Reply test = Api.post(account.path("/webhook-targets/" + targetId + "/test"), account.apiKey(), "{}");
            assertEquals(200, test.status(), test.body());
            JsonObject outcome = test.json();
            assertFalse(outcome.getBoolean("succeeded"));
            String expected = "url refused: url: " + NAME + " (0.0.0.0) is a unspecified address, which is never"
                    + " allowed as a webhook target";
            assertEquals(expected, outcome.getJsonObject("attempt").getString("error"),
                    () -> outcome + " with " + connections.get() + " connections, hosts: " + read());
            assertTrue(outcome.getJsonObject("attempt").isNull("statusCode"));

            JsonObject target = Api.get(account.path("/webhook-targets/" + targetId), account.apiKey()).json();
            assertEquals(expected, target.getString("lastError"));
            assertEquals(0, connections.get(), "the refused address was never connected");
        }
    }

    private static String read() {
        try {
            return Files.readString(HOSTS, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the IT server's hosts file " + HOSTS + " is missing", e);
        }
    }
}
