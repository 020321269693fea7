package dev.pons.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's webhook receivers, in a JVM of their own (start it with
 * {@code -Dsun.net.httpserver.nodelay=true}): one JDK {@link HttpServer} per port on loopback, each
 * recording arrival time (epoch microseconds, the same clock as the load generator's), status answered,
 * {@code X-Pons-Event-Id}, {@code X-Pons-Delivery-Id}, {@code X-Pons-Attempt}, {@code X-Pons-Timestamp}
 * (when Pons signed the attempt) and the benchmark's message id found in the body. A control server on another port switches a port between answering 200, 500,
 * slow (200 after a delay), hanging (never answering) and down (socket closed: connections are refused), and hands
 * the records over.
 * JDK only: nothing else on its class path.
 *
 * <p>Prints {@code READY <control port> <port>,<port>,...} once listening.
 */
public final class ReceiverMain {

    /** Generated message ids all start with this; the receiver takes the first one in a body. */
    public static final String MARKER = "wamid.PONSBENCH";
    private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "{\"error\":\"benchmark receiver answers 500\"}".getBytes(StandardCharsets.US_ASCII);

    enum Mode { ok, error, slow, hang, down }

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "receiver");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<String> records = new ConcurrentLinkedQueue<>();
    private final AtomicLong answered200 = new AtomicLong();
    private final List<Port> ports = new ArrayList<>();

    /** One receiving port and its behaviour. */
    final class Port {
        final int index;
        int port;
        volatile Mode mode = Mode.ok;
        /** How long a slow port takes to answer 200. */
        volatile long delayMs;
        volatile CountDownLatch release = new CountDownLatch(1);
        HttpServer server;

        Port(int index) {
            this.index = index;
        }

        synchronized void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            server.setExecutor(executor);
            server.createContext("/", this::handle);
            server.start();
            port = server.getAddress().getPort();
        }

        synchronized void mode(Mode next) throws IOException {
            Mode previous = mode;
            if (previous == next) {
                return;
            }
            mode = next;
            if (previous == Mode.hang) {
                CountDownLatch hung = release;
                release = new CountDownLatch(1);
                hung.countDown();
            }
            if (next == Mode.down) {
                server.stop(0);
                server = null;
            } else if (previous == Mode.down) {
                start();
            }
        }

        private void handle(HttpExchange exchange) throws IOException {
            long arrival = micros();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Mode now = mode;
            int status = switch (now) {
                case ok, slow -> 200;
                case error -> 500;
                default -> 0;
            };
            var headers = exchange.getRequestHeaders();
            records.add(index + "\t" + arrival + "\t" + status + "\t" + dash(headers.getFirst("X-Pons-Event-Id"))
                    + "\t" + dash(headers.getFirst("X-Pons-Delivery-Id")) + "\t" + dash(headers.getFirst("X-Pons-Attempt"))
                    + "\t" + dash(headers.getFirst("X-Pons-Timestamp")) + "\t" + dash(messageId(body)));
            if (now == Mode.hang || now == Mode.down) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            if (now == Mode.slow) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = status == 200 ? OK : ERROR;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
            if (status == 200) {
                answered200.incrementAndGet();
            }
        }
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /** The first benchmark message id in the body: the envelope's waMessageId, or a Meta body's first message. */
    static String messageId(byte[] body) {
        outer:
        for (int i = 0; i <= body.length - MARKER_BYTES.length; i++) {
            for (int j = 0; j < MARKER_BYTES.length; j++) {
                if (body[i + j] != MARKER_BYTES[j]) {
                    continue outer;
                }
            }
            int end = i + MARKER_BYTES.length;
            while (end < body.length && body[end] != '"') {
                end++;
            }
            return new String(body, i, end - i, StandardCharsets.US_ASCII);
        }
        return null;
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        new ReceiverMain().run(count);
    }

    private void run(int count) throws Exception {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < count; i++) {
            Port port = new Port(i);
            port.start();
            ports.add(port);
            list.append(i == 0 ? "" : ",").append(port.port);
        }
        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        control.setExecutor(Executors.newFixedThreadPool(2));
        CountDownLatch quit = new CountDownLatch(1);
        control.createContext("/", exchange -> {
            try {
                String answer = control(exchange.getRequestURI(), quit);
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (RuntimeException e) {
                byte[] bytes = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        control.start();
        System.out.println("READY " + control.getAddress().getPort() + " " + list);
        System.out.flush();
        // The parent going away (its stdin closing) ends us too: never outlive the benchmark.
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing to read; wait for EOF
                }
            } catch (IOException ignored) {
                // parent gone
            }
            quit.countDown();
        }, "parent-watch");
        watchdog.setDaemon(true);
        watchdog.start();
        quit.await();
        control.stop(0);
        System.exit(0);
    }

    private String control(URI uri, CountDownLatch quit) {
        String path = uri.getPath();
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        switch (path) {
            case "/mode" -> {
                Mode mode = Mode.valueOf(param(query, "mode"));
                long delayMs = mode == Mode.slow ? Long.parseLong(param(query, "delayMs")) : 0;
                for (String index : param(query, "ports").split(",")) {
                    try {
                        Port port = ports.get(Integer.parseInt(index));
                        port.delayMs = delayMs;
                        port.mode(mode);
                    } catch (IOException e) {
                        throw new IllegalStateException("cannot switch port " + index + " to " + mode, e);
                    }
                }
                return "ok";
            }
            case "/count" -> {
                return String.valueOf(answered200.get());
            }
            case "/records" -> {
                StringBuilder out = new StringBuilder();
                String line;
                while ((line = records.poll()) != null) {
                    out.append(line).append('\n');
                }
                return out.toString();
            }
            case "/quit" -> {
                quit.countDown();
                return "bye";
            }
            default -> throw new IllegalArgumentException("unknown control " + path);
        }
    }

    private static String param(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        throw new IllegalArgumentException("missing " + name);
    }
}
