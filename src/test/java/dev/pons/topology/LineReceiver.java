package dev.pons.topology;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pons.it.Receiver;
import dev.pons.it.Verifier;

/**
 * A webhook receiver for one target that answers 200 after {@code delayMs} and keeps what the ordering and
 * rate checks need: every request in the order it arrived (message id, delivery id, X-Pons-Timestamp, whether
 * its signature verifies, which instance sent it), and how many it held at once. A request counts as in
 * flight from its arrival until its answer is written.
 */
final class LineReceiver implements AutoCloseable {

    record Arrival(int seq, long receivedAt, String waMessageId, String eventId, String deliveryId, int attempt,
                   long signedAt, boolean signatureOk, String sender) {
    }

    private final HttpServer server;
    private final long delayMs;
    private final List<Topology.Instance> instances;
    private final List<Arrival> arrivals = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    /** Requests being held now, by their X-Pons-Delivery-Id, with the instance that sent each. */
    private final Map<String, String> holding = new ConcurrentHashMap<>();
    private final List<String> overlaps = new ArrayList<>();
    private volatile String secret;

    /** {@code instances}: those whose connections it tells apart ({@link Connections}); empty for none. */
    LineReceiver(long delayMs, List<Topology.Instance> instances) throws IOException {
        this.delayMs = delayMs;
        this.instances = instances;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The target's signing secret, known once the target exists. */
    void secret(String secret) {
        this.secret = secret;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long receivedAt = System.currentTimeMillis();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Receiver.Request request = new Receiver.Request(receivedAt, Map.copyOf(exchange.getRequestHeaders()), body);
            String deliveryId = request.header("X-Pons-Delivery-Id");
            String sender = instances.isEmpty() ? "?" : Connections.owner(exchange.getRemoteAddress().getPort(),
                    server.getAddress().getPort(), instances);
            String waMessageId = null;
            try {
                JsonObject envelope = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject();
                waMessageId = envelope.getJsonObject("payload").getString("waMessageId", null);
            } catch (RuntimeException notAnEvent) {
                // counted, with no message id: the checks then find an arrival they did not expect
            }
            String timestamp = request.header("X-Pons-Timestamp");
            String attempt = request.header("X-Pons-Attempt");
            synchronized (arrivals) {
                if (now > 1) {
                    overlaps.add(deliveryId + " (attempt " + attempt + ", from " + sender + ") arrived while " + holding
                            + " were in flight");
                }
                arrivals.add(new Arrival(arrivals.size(), receivedAt, waMessageId, request.header("X-Pons-Event-Id"),
                        deliveryId, attempt == null ? 0 : Integer.parseInt(attempt),
                        timestamp == null ? 0 : Long.parseLong(timestamp),
                        secret != null && Verifier.verifies(secret, request), sender));
            }
            holding.put(deliveryId == null ? "?" : deliveryId, sender);
            try {
                if (delayMs > 0) {
                    Thread.sleep(delayMs);
                }
                byte[] out = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, out.length);
                exchange.getResponseBody().write(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.remove(deliveryId == null ? "?" : deliveryId);
            }
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    List<String> overlaps() {
        synchronized (arrivals) {
            return List.copyOf(overlaps);
        }
    }

    /** The instances whose requests it holds right now. */
    List<String> sendersInFlight() {
        return List.copyOf(holding.values());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
