package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pons.targets.control.HostLookups;
import dev.pons.targets.control.TargetUrlPolicy;

/**
 * The delivery client against a receiver on loopback, with DNS played by the test: the names below exist
 * nowhere else, so a request that arrives proves the client connected where the checked lookup said.
 */
class SenderTest {

    private static final ThreadFactory DAEMONS = runnable -> {
        Thread thread = new Thread(runnable, "sender-test");
        thread.setDaemon(true);
        return thread;
    };

    private final Map<String, InetAddress[]> dns = new ConcurrentHashMap<>();
    private final CountDownLatch hungDnsAnswers = new CountDownLatch(1);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private HostLookups lookups;
    private Sender sender;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("Host") + " " + exchange.getRequestURI()
                    + " " + exchange.getRequestHeaders().getFirst("X-Custom"));
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        hungDnsAnswers.countDown();
        if (sender != null) {
            sender.close();
        }
        if (lookups != null) {
            lookups.close();
        }
        receiver.stop(0);
    }

    private InetAddress[] lookUp(String host) {
        if (host.equals("hang.test")) {
            try {
                hungDnsAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        InetAddress[] addresses = dns.get(host);
        if (addresses == null) {
            throw new UncheckedIOException(new UnknownHostException(host));
        }
        return addresses;
    }

    private void start(boolean allowLoopback, Duration lookupTimeout) {
        lookups = new HostLookups(this::lookUp, 2, lookupTimeout, DAEMONS);
        sender = new Sender();
        sender.clock = Clock.systemUTC();
        sender.start(DAEMONS, new TargetUrlPolicy(allowLoopback, false, lookups::lookUp));
    }

    private Outcome post(String host, int timeoutMs) throws Exception {
        URI url = URI.create("http://" + host + ":" + receiver.getAddress().getPort() + "/hook");
        return sender.post(url, "{}".getBytes(StandardCharsets.UTF_8), Map.of("X-Custom", "kept"), timeoutMs)
                .get(30, TimeUnit.SECONDS);
    }

    private static InetAddress ip(String host, int... bytes) throws UnknownHostException {
        byte[] address = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            address[i] = (byte) bytes[i];
        }
        return InetAddress.getByAddress(host, address);
    }

    @Test
    void connectsToTheAddressesTheCheckedLookupReturned() throws Exception {
        dns.put("receiver.test", new InetAddress[] {ip("receiver.test", 127, 0, 0, 1)});
        start(true, Duration.ofSeconds(5));

        Outcome first = post("receiver.test", 5_000);
        assertEquals(200, first.statusCode(), String.valueOf(first));
        assertEquals("ok", first.responseSnippet());
        assertNull(first.error());
        Outcome second = post("receiver.test", 5_000);
        assertEquals(200, second.statusCode(), String.valueOf(second));

        String hostHeader = "receiver.test:" + receiver.getAddress().getPort();
        assertEquals(List.of(hostHeader + " /hook kept", hostHeader + " /hook kept"), received,
                "the request names the host, the connection goes to the checked address");
        assertEquals(clientPorts.get(0), clientPorts.get(1), "one kept-alive connection for both");
    }

    @Test
    void aNameThatResolvesToARefusedAddressIsRefusedAtConnectTime() throws Exception {
        // 0.0.0.0 reaches this very host on Linux: were it not refused, the receiver would see the request.
        dns.put("rebound.test", new InetAddress[] {ip("rebound.test", 0, 0, 0, 0)});
        dns.put("loopback.test", new InetAddress[] {ip("loopback.test", 127, 0, 0, 1)});
        start(false, Duration.ofSeconds(5));

        Outcome unspecified = post("rebound.test", 5_000);
        assertNull(unspecified.statusCode());
        assertEquals("url refused: url: rebound.test (0.0.0.0) is a unspecified address, which is never allowed"
                + " as a webhook target", unspecified.error());
        Outcome loopback = post("loopback.test", 5_000);
        assertTrue(loopback.error().startsWith("url refused: url: loopback.test (127.0.0.1) is a loopback address"),
                loopback.error());
        Outcome literal = post("127.0.0.1", 5_000);
        assertTrue(literal.error().startsWith("url refused: url: 127.0.0.1 is a loopback host"), literal.error());
        assertEquals(List.of(), received, "nothing connected");
    }

    @Test
    void aHangingLookupFailsOnlyItsOwnAttemptWithinTheLookupTimeout() throws Exception {
        dns.put("receiver.test", new InetAddress[] {ip("receiver.test", 127, 0, 0, 1)});
        start(true, Duration.ofMillis(500));

        long start = System.nanoTime();
        var hanging = sender.post(URI.create("http://hang.test:" + receiver.getAddress().getPort() + "/hook"),
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), 10_000);
        assertEquals(200, post("receiver.test", 5_000).statusCode(), "another target is served meanwhile");
        Outcome late = hanging.get(30, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("url refused: url: host hang.test could not be looked up (no answer within 500 ms); try again later",
                late.error());
        assertTrue(tookMs < 5_000, "bounded by the lookup timeout, not the DNS server: " + tookMs + " ms");
        assertEquals(1, received.size());
    }
}
