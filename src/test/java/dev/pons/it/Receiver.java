package dev.pons.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real webhook receiver on loopback: records every request (headers, raw body, arrival time) and
 * answers as the test tells it to, including never answering at all.
 */
public final class Receiver implements AutoCloseable {

    public record Request(long receivedAt, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    /** How to answer one request; {@code hang} never answers (until the receiver closes). */
    public record Answer(int status, String body, Map<String, String> headers, boolean hang) {
        public static Answer status(int status) {
            return new Answer(status, "{\"ok\":" + (status == 200) + "}", Map.of(), false);
        }

        public static Answer never() {
            return new Answer(0, null, Map.of(), true);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Function<Request, Answer> answers;

    private Receiver(Function<Request, Answer> answers) throws IOException {
        this.answers = answers;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public static Receiver answering(int status) throws IOException {
        return new Receiver(request -> Answer.status(status));
    }

    public static Receiver answering(Function<Request, Answer> answers) throws IOException {
        return new Receiver(answers);
    }

    public void answer(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Request request = new Request(System.currentTimeMillis(), Map.copyOf(exchange.getRequestHeaders()), body);
        requests.add(request);
        Answer answer = answers.apply(request);
        if (answer.hang()) {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] out = answer.body() == null ? new byte[0] : answer.body().getBytes();
        exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
        exchange.close();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
